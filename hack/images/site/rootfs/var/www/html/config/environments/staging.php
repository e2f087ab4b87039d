<?php
/**
 * Configuration overrides for WP_ENV === 'staging'
 */

use Donation\Site\Config;

/**
 * You should try to keep staging as close to production as possible. However, should you need to, you
 * can always override production configuration values with `Config::define`.
 */

Config::define('DISALLOW_INDEXING', true);
