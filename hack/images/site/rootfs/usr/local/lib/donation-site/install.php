<?php
/**
 * The install step, run by donation-entrypoint before Apache starts (php install.php):
 *  1. waits for the database (DB_WAIT_SECONDS, default 120; exit 1 after that, so the container restarts),
 *  2. takes the MySQL named lock "donation-install:<database>" (GET_LOCK, INSTALL_LOCK_SECONDS, default
 *     300), so that of several pods starting at once exactly one installs and the others wait,
 *  3. if WordPress is not installed and WP_ADMIN_PASSWORD is set: wp_install() with WP_TITLE and the admin
 *     user from WP_ADMIN_USER / WP_ADMIN_PASSWORD / WP_ADMIN_EMAIL, permalinks /%postname%/,
 *  4. creates the donations table if it is missing (on every start; CREATE TABLE IF NOT EXISTS),
 *  5. releases the lock.
 * Passwords, keys and salts are never printed.
 */
require __DIR__ . '/db.php';

const DONATION_WP_LOAD = '/var/www/html/web/wp/wp-load.php';

function donation_say(string $message): void
{
    fwrite(STDERR, '[install] ' . $message . "\n");
}

function donation_int_env(string $name, int $default): int
{
    $value = getenv($name);
    return ($value === false || $value === '' || (int) $value < 1) ? $default : (int) $value;
}

function donation_wait_for_database(): mysqli
{
    $wait = donation_int_env('DB_WAIT_SECONDS', 120);
    $s = donation_db_settings();
    $where = $s['socket'] ?? ($s['host'] . ':' . $s['port']);
    donation_say(sprintf('waiting up to %ds for database "%s" at %s as "%s"', $wait, $s['name'], $where, $s['user']));
    $start = time();
    $lastLog = $start;
    $error = null;
    while (true) {
        $db = donation_db_connect(2, $error);
        if ($db !== null) {
            donation_say(sprintf('database answered after %ds', time() - $start));
            return $db;
        }
        if (time() - $start >= $wait) {
            donation_say(sprintf('database not reachable after %ds: %s; giving up (the container restarts)', $wait, $error));
            exit(1);
        }
        if (time() - $lastLog >= 10) {
            donation_say(sprintf('still waiting for the database (%ds): %s', time() - $start, $error));
            $lastLog = time();
        }
        sleep(2);
    }
}

function donation_lock_name(): string
{
    return substr('donation-install:' . (getenv('DB_NAME') ?: ''), 0, 64);
}

function donation_take_lock(mysqli $db): void
{
    $wait = donation_int_env('INSTALL_LOCK_SECONDS', 300);
    $name = donation_lock_name();
    $start = microtime(true);
    $db->options(MYSQLI_OPT_READ_TIMEOUT, $wait + 30);
    $stmt = $db->prepare('SELECT GET_LOCK(?, ?)');
    $stmt->bind_param('si', $name, $wait);
    $got = $stmt->execute() ? $stmt->get_result()->fetch_row()[0] : null;
    if ((int) $got !== 1) {
        donation_say(sprintf('could not take the lock "%s" within %ds; giving up (the container restarts)', $name, $wait));
        exit(1);
    }
    donation_say(sprintf('took the lock "%s" after %.1fs', $name, microtime(true) - $start));
}

function donation_release_lock(mysqli $db): void
{
    $name = donation_lock_name();
    $stmt = $db->prepare('SELECT RELEASE_LOCK(?)');
    $stmt->bind_param('s', $name);
    $stmt->execute();
    donation_say(sprintf('released the lock "%s"', $name));
}

/** What WordPress reads from $_SERVER, as for a request to WP_HOME. */
function donation_fake_request(): string
{
    $home = getenv('WP_HOME') ?: 'http://localhost';
    $url = parse_url($home);
    $host = $url['host'] ?? 'localhost';
    $https = ($url['scheme'] ?? 'http') === 'https';
    $_SERVER['HTTP_HOST'] = $host . (isset($url['port']) ? ':' . $url['port'] : '');
    $_SERVER['SERVER_NAME'] = $host;
    $_SERVER['SERVER_PORT'] = (string) ($url['port'] ?? ($https ? 443 : 80));
    $_SERVER['REQUEST_URI'] = '/';
    $_SERVER['REQUEST_METHOD'] = 'GET';
    $_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
    $_SERVER['REMOTE_ADDR'] = '127.0.0.1';
    if ($https) {
        $_SERVER['HTTPS'] = 'on';
    }
    return $host;
}

$donation_db = donation_wait_for_database();
donation_take_lock($donation_db);
$donation_host = donation_fake_request();

// Load WordPress the way wp-admin/install.php does. No HTTP while installing: WordPress would otherwise
// probe its own public URL (pretty permalinks check, cron), which a starting pod cannot reach.
define('WP_INSTALLING', true);
$GLOBALS['wp_filter'] = [
    'pre_http_request' => [10 => [[
        'function' => static fn () => new WP_Error('donation_install', 'no HTTP requests during the install step'),
        'accepted_args' => 1,
    ]]],
];
require DONATION_WP_LOAD;
if (!function_exists('wp_new_blog_notification')) {
    /** No mail from the install step (there is no mail transport in the container). */
    function wp_new_blog_notification($blog_title, $blog_url, $user_id, $password)
    {
    }
}
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

if (is_blog_installed()) {
    donation_say('WordPress is already installed');
} elseif ((getenv('WP_ADMIN_PASSWORD') ?: '') === '') {
    donation_say('WordPress is NOT installed and WP_ADMIN_PASSWORD is empty, so the install step does not install it.');
    donation_say('The site shows the WordPress installer until someone completes it; set WP_ADMIN_PASSWORD to install automatically.');
} else {
    $donation_title = getenv('WP_TITLE') ?: $donation_host;
    $donation_user = getenv('WP_ADMIN_USER') ?: 'admin';
    $donation_email = getenv('WP_ADMIN_EMAIL') ?: 'admin@' . $donation_host;
    donation_say(sprintf('installing WordPress %s: title "%s", admin "%s" <%s>', $GLOBALS['wp_version'], $donation_title, $donation_user, $donation_email));
    $donation_result = wp_install($donation_title, $donation_user, $donation_email, true, '', wp_slash(getenv('WP_ADMIN_PASSWORD')));
    if (empty($donation_result['user_id']) || is_wp_error($donation_result['user_id'])) {
        donation_say('wp_install() did not create the admin user');
        exit(1);
    }
    update_option('home', WP_HOME);
    update_option('siteurl', WP_SITEURL);
    $GLOBALS['wp_rewrite']->set_permalink_structure('/%postname%/');
    flush_rewrite_rules(false);
    donation_say('WordPress installed; permalinks /%postname%/');
}

if (is_blog_installed()) {
    if (function_exists('donations_install_schema')) {
        donation_say(donations_install_schema() ? 'donations table ready' : 'could not create the donations table');
    } else {
        donation_say('the donations mu-plugin is not loaded; no donations table');
    }
}
donation_release_lock($donation_db);
exit(0);
