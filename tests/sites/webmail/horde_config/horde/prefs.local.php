<?php
// Straight to the mail after signing in, not Horde's portal.
$_prefs['initial_application']['value'] = 'imp';
