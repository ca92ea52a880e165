<?php
/* The test's own Dovecot, on the port tests/sites/webmail/imap.py picked; plain IMAP over loopback. */
$servers['imap']['name'] = 'Test IMAP';
$servers['imap']['hostspec'] = '127.0.0.1';
$servers['imap']['port'] = (int)getenv('DEPUTY_IMAP_PORT');
$servers['imap']['secure'] = false;
$servers['imap']['special_mboxes'] = array(
    IMP_Mailbox::MBOX_DRAFTS => 'Drafts',
    IMP_Mailbox::MBOX_SENT => 'Sent',
    IMP_Mailbox::MBOX_SPAM => 'Spam',
    IMP_Mailbox::MBOX_TRASH => 'Trash',
);
// "Report as Spam" and "Not Spam" with no report sent anywhere; the prefs then move the message.
$servers['imap']['spam'] = array(
    'spam' => array('null' => true, 'display' => false),
    'innocent' => array('null' => true, 'display' => true),
);
