<?php
/**
 * Plugin Name:  Donations
 * Description:  The public donation endpoint: POST /wp-json/donations/v1/donate records one donation in the
 *               {prefix}donations table; GET /wp-json/donations/v1/total sums them. No authentication: it is
 *               the back end of a public donation form.
 * Version:      1.0.0
 */

const DONATIONS_SCHEMA_VERSION = '1';
const DONATIONS_MAX_CENTS = 2147483647;

function donations_table(): string
{
    global $wpdb;
    return $wpdb->prefix . 'donations';
}

/** Creates the table if it is missing; true when it exists afterwards. */
function donations_install_schema(): bool
{
    global $wpdb;
    $table = donations_table();
    $collate = $wpdb->get_charset_collate();
    $ok = $wpdb->query(
        "CREATE TABLE IF NOT EXISTS `$table` (
            id BIGINT NOT NULL AUTO_INCREMENT,
            amount_cents INT NOT NULL,
            currency CHAR(3) NOT NULL DEFAULT 'EUR',
            donor VARCHAR(100) NULL,
            created_at DATETIME(3) NOT NULL,
            PRIMARY KEY (id),
            KEY created_at (created_at)
        ) $collate"
    ) !== false;
    if ($ok) {
        update_option('donations_schema_version', DONATIONS_SCHEMA_VERSION, true);
    }
    return $ok;
}

// A database that has never seen this plugin gets the table on its first request (the install step
// creates it too). The option is autoloaded, so this costs no query once the table exists.
add_action('init', function () {
    if (get_option('donations_schema_version') !== DONATIONS_SCHEMA_VERSION && !wp_installing() && is_blog_installed()) {
        donations_install_schema();
    }
});

function donations_validate_amount($value): bool
{
    return is_int($value) && $value > 0 && $value <= DONATIONS_MAX_CENTS;
}

function donations_validate_currency($value): bool
{
    return is_string($value) && preg_match('/^[A-Za-z]{3}$/', $value) === 1;
}

function donations_validate_donor($value): bool
{
    return $value === null || (is_string($value) && mb_strlen($value) <= 100);
}

function donations_donate(WP_REST_Request $request)
{
    global $wpdb;
    $amount = $request->get_param('amount_cents');
    $currency = strtoupper($request->get_param('currency') ?? 'EUR');
    $donor = $request->get_param('donor');
    $donor = ($donor === null || trim($donor) === '') ? null : trim($donor);

    $insert = function () use ($wpdb, $amount, $currency, $donor) {
        $table = donations_table();
        $sql = $donor === null
            ? $wpdb->prepare("INSERT INTO `$table` (amount_cents, currency, donor, created_at) VALUES (%d, %s, NULL, UTC_TIMESTAMP(3))", $amount, $currency)
            : $wpdb->prepare("INSERT INTO `$table` (amount_cents, currency, donor, created_at) VALUES (%d, %s, %s, UTC_TIMESTAMP(3))", $amount, $currency, $donor);
        return $wpdb->query($sql);
    };
    $done = $insert();
    if ($done === false && donations_install_schema()) {
        $done = $insert(); // the table was missing
    }
    if ($done === false) {
        return new WP_Error('donations_unavailable', 'The donation could not be recorded; please try again.', ['status' => 503]);
    }
    return new WP_REST_Response(['id' => (int) $wpdb->insert_id], 201);
}

function donations_total()
{
    global $wpdb;
    $table = donations_table();
    $row = $wpdb->get_row("SELECT COUNT(*) AS n, COALESCE(SUM(amount_cents), 0) AS total FROM `$table`");
    if ($row === null) {
        return new WP_REST_Response(['count' => 0, 'amount_cents' => 0], 200);
    }
    $response = new WP_REST_Response(['count' => (int) $row->n, 'amount_cents' => (int) $row->total], 200);
    $response->header('Cache-Control', 'no-store');
    return $response;
}

add_action('rest_api_init', function () {
    register_rest_route('donations/v1', '/donate', [
        'methods' => 'POST',
        'callback' => 'donations_donate',
        'permission_callback' => '__return_true',
        'args' => [
            'amount_cents' => [
                'description' => 'Amount in cents: an integer from 1 to 2147483647.',
                'required' => true,
                'validate_callback' => fn ($value) => donations_validate_amount($value),
            ],
            'currency' => [
                'description' => 'ISO 4217 code, three letters.',
                'default' => 'EUR',
                'validate_callback' => fn ($value) => donations_validate_currency($value),
            ],
            'donor' => [
                'description' => 'Optional name, at most 100 characters.',
                'required' => false,
                'validate_callback' => fn ($value) => donations_validate_donor($value),
            ],
        ],
    ]);
    register_rest_route('donations/v1', '/total', [
        'methods' => 'GET',
        'callback' => 'donations_total',
        'permission_callback' => '__return_true',
    ]);
});
