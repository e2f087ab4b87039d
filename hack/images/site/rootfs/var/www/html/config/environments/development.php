<?php
/**
 * Configuration overrides for WP_ENV === 'development'
 */

use Donation\Site\Config;

use function Donation\Site\env;

Config::define('SAVEQUERIES', true);
Config::define('WP_DEBUG', true);
Config::define('WP_DEBUG_DISPLAY', true);
// The log goes to Apache's error log (stderr): the content directory is not writable.
Config::define('WP_DEBUG_LOG', false);
Config::define('WP_DISABLE_FATAL_ERROR_HANDLER', true);
Config::define('SCRIPT_DEBUG', true);
Config::define('DISALLOW_INDEXING', true);

ini_set('display_errors', '1');
