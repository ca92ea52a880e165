<?php
/* Runs before every Horde script (php -d auto_prepend_file). Debian installs Horde with its config in
 * /etc/horde; pointing HORDE_BASE at the test's own tree of links (tests/sites/webmail/horde.py) makes Horde
 * read this folder's config instead, so the system's Horde is never touched. */
define('HORDE_BASE', getenv('DEPUTY_HORDE_BASE'));
define('IMP_BASE', HORDE_BASE . '/imp');

/* IMP 6.2 as packaged in Debian 12 still calls each(), which PHP 8 removed: the mailbox list and the
 * message view fail without it. This is the behaviour PHP 7 had. */
if (!function_exists('each')) {
    function each(array &$array)
    {
        $key = key($array);
        if ($key === null) {
            return false;
        }
        $value = current($array);
        next($array);
        return array(1 => $value, 'value' => $value, 0 => $key, 'key' => $key);
    }
}

/* Horde looks up the DNS name of each visitor (127.0.0.1 here) through Net_DNS2, whose file cache fails at
 * the end of a request under PHP 8 and whose lookups would wait on whatever resolver the test machine has.
 * Declared first, this class stands in for the real one, which is then never loaded: every lookup finds
 * nothing, and Horde shows the address as it is. */
class Net_DNS2_Resolver
{
    public function __construct($options = null)
    {
    }

    public function setServers($nameservers)
    {
    }

    public function query($name, $type = 'A', $class = 'IN')
    {
        return (object)array('answer' => array());
    }
}
