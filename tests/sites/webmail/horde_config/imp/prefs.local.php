<?php
// Newest first, as most people keep an inbox, and opened at the top rather than at the first unread.
$_prefs['sortby']['value'] = IMP::IMAP_SORT_DATE;
$_prefs['sortdir']['value'] = 1;
$_prefs['sortdate']['value'] = Horde_Imap_Client::SORT_DATE;
$_prefs['mailbox_start']['value'] = IMP::MAILBOX_START_FIRSTPAGE;
// Twenty a page in the basic view, so the seeded Inbox spans two pages.
$_prefs['max_msgs']['value'] = 20;
// Delete moves to Trash and "Report as Spam" moves to Spam, so each outcome is a folder in the Maildir.
$_prefs['use_trash']['value'] = 1;
$_prefs['delete_spam_after_report']['value'] = 2;
$_prefs['move_innocent_after_report']['value'] = 1;
