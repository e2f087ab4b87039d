<?php
/**
 * The base configuration, laid out as Roots Bedrock's config/application.php. Settings come from the
 * environment (the container's variables; Bedrock would also read a .env file). Environment-specific
 * overrides go in config/environments/{WP_ENV}.php. Bedrock's Composer packages (roots/wp-config,
 * oscarotero/env) are replaced by the two small helpers below, with the same behaviour.
 */

namespace Donation\Site;

/** Collects constants so that an environment file can override them before they are defined. */
final class Config
{
    private static array $settings = [];

    public static function define(string $key, $value): void
    {
        if (\defined($key)) {
            throw new \RuntimeException("$key is already defined");
        }
        self::$settings[$key] = $value;
    }

    public static function get(string $key)
    {
        if (!\array_key_exists($key, self::$settings)) {
            throw new \RuntimeException("$key has not been set by Config::define()");
        }
        return self::$settings[$key];
    }

    public static function remove(string $key): void
    {
        unset(self::$settings[$key]);
    }

    public static function apply(): void
    {
        foreach (self::$settings as $key => $value) {
            if (!\defined($key)) {
                \define($key, $value);
            }
        }
    }
}

/** An environment variable: null when unset; "true"/"false"/"null"/"empty" become true/false/null/"". */
function env(string $name)
{
    $value = $_ENV[$name] ?? $_SERVER[$name] ?? \getenv($name);
    if ($value === false || $value === null) {
        return null;
    }
    switch (\strtolower($value)) {
        case 'true':
        case '(true)':
            return true;
        case 'false':
        case '(false)':
            return false;
        case 'null':
        case '(null)':
            return null;
        case 'empty':
        case '(empty)':
            return '';
    }
    return $value;
}

$root_dir = \dirname(__DIR__);
$webroot_dir = $root_dir . '/web';

/**
 * Environment: production, staging or development.
 */
\define('WP_ENV', env('WP_ENV') ?: 'production');
if (!env('WP_ENVIRONMENT_TYPE') && \in_array(WP_ENV, ['production', 'staging', 'development', 'local'], true)) {
    Config::define('WP_ENVIRONMENT_TYPE', WP_ENV);
}

/**
 * URLs: the site at WP_HOME, WordPress core at WP_SITEURL (WP_HOME/wp).
 */
Config::define('WP_HOME', \rtrim(env('WP_HOME') ?: 'http://localhost', '/'));
Config::define('WP_SITEURL', \rtrim(env('WP_SITEURL') ?: Config::get('WP_HOME') . '/wp', '/'));

/**
 * Custom content directory: web/app.
 */
Config::define('CONTENT_DIR', '/app');
Config::define('WP_CONTENT_DIR', $webroot_dir . Config::get('CONTENT_DIR'));
Config::define('WP_CONTENT_URL', Config::get('WP_HOME') . Config::get('CONTENT_DIR'));

/**
 * Database. DB_PORT, when set, is added to DB_HOST unless DB_HOST names a port or socket itself.
 */
$db_host = env('DB_HOST') ?: 'localhost';
if (env('DB_PORT') && \strpos($db_host, ':') === false) {
    $db_host .= ':' . env('DB_PORT');
}
Config::define('DB_NAME', env('DB_NAME') ?: '');
Config::define('DB_USER', env('DB_USER') ?: '');
Config::define('DB_PASSWORD', env('DB_PASSWORD') ?: '');
Config::define('DB_HOST', $db_host);
Config::define('DB_CHARSET', 'utf8mb4');
Config::define('DB_COLLATE', '');
$table_prefix = env('DB_PREFIX') ?: 'wp_';

/**
 * Authentication unique keys and salts. Left empty, WordPress makes its own and keeps them in the database.
 */
foreach (['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'] as $key) {
    Config::define($key, env($key) ?: '');
}

/**
 * Custom settings.
 */
Config::define('AUTOMATIC_UPDATER_DISABLED', true);
Config::define('DISABLE_WP_CRON', env('DISABLE_WP_CRON') ?: false);
// The image is immutable: no plugin or theme editor, no installs or updates from the dashboard.
Config::define('DISALLOW_FILE_EDIT', true);
Config::define('DISALLOW_FILE_MODS', true);
Config::define('WP_POST_REVISIONS', env('WP_POST_REVISIONS') ?? true);
Config::define('WP_DEFAULT_THEME', env('WP_DEFAULT_THEME') ?: 'twentytwentythree');

/**
 * Debugging: off, errors to the PHP error log (Apache's, that is stderr).
 */
Config::define('WP_DEBUG', false);
Config::define('WP_DEBUG_DISPLAY', false);
Config::define('WP_DEBUG_LOG', false);
Config::define('SCRIPT_DEBUG', false);
\ini_set('display_errors', '0');

/**
 * Behind the ingress: TLS ends there, so trust X-Forwarded-Proto for the scheme.
 */
if (isset($_SERVER['HTTP_X_FORWARDED_PROTO']) && \strtolower($_SERVER['HTTP_X_FORWARDED_PROTO']) === 'https') {
    $_SERVER['HTTPS'] = 'on';
}

$env_config = __DIR__ . '/environments/' . WP_ENV . '.php';
if (\file_exists($env_config)) {
    require_once $env_config;
}

Config::apply();

/**
 * Bootstrap WordPress.
 */
if (!\defined('ABSPATH')) {
    \define('ABSPATH', $webroot_dir . '/wp/');
}
