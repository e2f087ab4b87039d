<?php
/**
 * Plugin Name:  Donations
 * Description:  The public donation endpoint: POST /wp-json/donations/v1/donate records one donation in the
 *               {prefix}donations table (once per Idempotency-Key); GET /wp-json/donations/v1/total sums
 *               them. No authentication: it is the back end of a public donation form.
 * Version:      1.1.0
 */

// 2: the idempotency_key column and its UNIQUE index.
const DONATIONS_SCHEMA_VERSION = '2';
const DONATIONS_MAX_CENTS = 2147483647;
// At most 64 characters that need no escaping in a header, a URL, a log line or a CSV field.
const DONATIONS_KEY_PATTERN = '/^[A-Za-z0-9_.:-]{1,64}$/';
const DONATIONS_KEY_MESSAGE = 'The idempotency key must be 1 to 64 characters of A-Z, a-z, 0-9, "_", ".", ":" and "-".';
// MySQL error numbers.
const DONATIONS_ER_DUP_ENTRY = 1062;
const DONATIONS_ER_DUP_FIELDNAME = 1060;
const DONATIONS_ER_DUP_KEYNAME = 1061;

function donations_table(): string
{
    global $wpdb;
    return $wpdb->prefix . 'donations';
}

/** The MySQL error number of the last query on WordPress's connection, 0 when there is none. */
function donations_errno(): int
{
    global $wpdb;
    $dbh = $wpdb->dbh;
    return $dbh instanceof mysqli ? (int) mysqli_errno($dbh) : 0;
}

/**
 * Creates the table if it is missing and adds the idempotency key to a table of schema 1; true when the
 * table has the current schema afterwards. Several pods may do this at once: an ALTER that lost the race
 * fails with a duplicate column or key name, which is success too.
 */
function donations_install_schema(): bool
{
    global $wpdb;
    $table = donations_table();
    $collate = $wpdb->get_charset_collate();
    // The key is ASCII and compared byte for byte: "abc" and "ABC" are two donations.
    $ok = $wpdb->query(
        "CREATE TABLE IF NOT EXISTS `$table` (
            id BIGINT NOT NULL AUTO_INCREMENT,
            amount_cents INT NOT NULL,
            currency CHAR(3) NOT NULL DEFAULT 'EUR',
            donor VARCHAR(100) NULL,
            created_at DATETIME(3) NOT NULL,
            idempotency_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
            PRIMARY KEY (id),
            KEY created_at (created_at),
            UNIQUE KEY idempotency_key (idempotency_key)
        ) $collate"
    ) !== false;
    if ($ok && $wpdb->get_var("SHOW COLUMNS FROM `$table` LIKE 'idempotency_key'") === null) {
        $ok = $wpdb->query("ALTER TABLE `$table` ADD COLUMN idempotency_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL") !== false
            || donations_errno() === DONATIONS_ER_DUP_FIELDNAME;
    }
    if ($ok && $wpdb->get_var("SHOW INDEX FROM `$table` WHERE Key_name = 'idempotency_key'") === null) {
        $ok = $wpdb->query("ALTER TABLE `$table` ADD UNIQUE KEY idempotency_key (idempotency_key)") !== false
            || donations_errno() === DONATIONS_ER_DUP_KEYNAME;
    }
    if ($ok) {
        update_option('donations_schema_version', DONATIONS_SCHEMA_VERSION, true);
    }
    return $ok;
}

// A database that has never seen this plugin, or has an older schema, gets the table or the new column
// on its first request (the install step does the same). The option is autoloaded, so this costs no
// query once the schema is current.
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

function donations_validate_key($value): bool
{
    return is_string($value) && preg_match(DONATIONS_KEY_PATTERN, $value) === 1;
}

/**
 * 503 with Retry-After: the database is away. A client may retry, and with the same idempotency key a
 * retry cannot record the donation twice. (A response rather than a WP_Error, so it can carry headers.)
 */
function donations_unavailable(string $message = 'The donation could not be recorded; please try again.'): WP_REST_Response
{
    $response = new WP_REST_Response(['code' => 'donations_unavailable', 'message' => $message, 'data' => ['status' => 503]], 503);
    $response->header('Retry-After', '5');
    $response->header('Cache-Control', 'no-store');
    return $response;
}

/** The donation recorded under $key, or null (also when the query fails). */
function donations_find_by_key(string $key)
{
    global $wpdb;
    $table = donations_table();
    return $wpdb->get_row($wpdb->prepare("SELECT id, amount_cents, currency, donor FROM `$table` WHERE idempotency_key = %s", $key));
}

function donations_donate(WP_REST_Request $request)
{
    try {
        return donations_record($request);
    } catch (Throwable $e) {
        // mysqli in exception mode, or anything else thrown while the server went away: a 503, never a
        // 500, because a retry with the same key cannot record the donation twice.
        error_log('donations: ' . get_class($e) . ': ' . $e->getMessage());
        return donations_unavailable();
    }
}

function donations_record(WP_REST_Request $request)
{
    global $wpdb;
    $amount = $request->get_param('amount_cents');
    $currency = strtoupper($request->get_param('currency') ?? 'EUR');
    $donor = $request->get_param('donor');
    $donor = ($donor === null || trim($donor) === '') ? null : trim($donor);

    // The header is the contract for API clients; the body parameter lets a plain HTML form send one.
    $header_key = $request->get_header('idempotency_key');
    $body_key = $request->get_param('idempotency_key');
    if ($header_key !== null && !donations_validate_key($header_key)) {
        return new WP_Error('donations_invalid_idempotency_key', 'Idempotency-Key: ' . DONATIONS_KEY_MESSAGE, ['status' => 400]);
    }
    if ($header_key !== null && $body_key !== null && $header_key !== $body_key) {
        return new WP_Error('donations_invalid_idempotency_key', 'The Idempotency-Key header and the idempotency_key parameter differ.', ['status' => 400]);
    }
    $key = $header_key ?? $body_key;

    $insert = function () use ($wpdb, $amount, $currency, $donor, $key) {
        $table = donations_table();
        // %s with null would store an empty string: NULL is written literally.
        $values = [$amount, $currency];
        $donor_sql = '%s';
        $key_sql = '%s';
        if ($donor === null) {
            $donor_sql = 'NULL';
        } else {
            $values[] = $donor;
        }
        if ($key === null) {
            $key_sql = 'NULL';
        } else {
            $values[] = $key;
        }
        // A replayed key fails here by design: wpdb would log every replay with its query (and the
        // donor's name), so its own log line is off and the failures that matter are logged below.
        $suppressed = $wpdb->suppress_errors(true);
        $done = $wpdb->query($wpdb->prepare(
            "INSERT INTO `$table` (amount_cents, currency, donor, idempotency_key, created_at) VALUES (%d, %s, $donor_sql, $key_sql, UTC_TIMESTAMP(3))",
            ...$values
        ));
        $wpdb->suppress_errors($suppressed);
        if ($done === false && donations_errno() !== DONATIONS_ER_DUP_ENTRY) {
            error_log(sprintf('donations: insert failed (error %d): %s', donations_errno(), $wpdb->last_error));
        }
        return $done;
    };
    $done = $insert();
    $duplicate = $done === false && $key !== null && donations_errno() === DONATIONS_ER_DUP_ENTRY;
    if ($done === false && !$duplicate && donations_install_schema()) {
        $done = $insert(); // the table or its key column was missing
        $duplicate = $done === false && $key !== null && donations_errno() === DONATIONS_ER_DUP_ENTRY;
    }
    if ($duplicate) {
        // The key is taken: by an earlier request, or one racing this one. That row was committed before
        // InnoDB reported the duplicate (the other INSERT was a statement of its own, see below).
        $row = donations_find_by_key($key);
        if ($row === null) {
            return donations_unavailable();
        }
        if ((int) $row->amount_cents !== $amount || $row->currency !== $currency || $row->donor !== $donor) {
            return new WP_Error('donations_idempotency_key_reused',
                'This idempotency key was used for another donation; use a new key for a new donation.', ['status' => 422]);
        }
        $response = new WP_REST_Response(['id' => (int) $row->id, 'idempotency_key' => $key], 201);
        $response->header('Idempotent-Replayed', 'true');
        $response->header('Cache-Control', 'no-store');
        return $response;
    }
    if ($done === false) {
        return donations_unavailable();
    }
    // WordPress's connection runs in autocommit mode (InnoDB): the INSERT was committed when query()
    // returned, so the 201 below never confirms a donation that a crash of the server could still lose.
    $body = ['id' => (int) $wpdb->insert_id];
    if ($key !== null) {
        $body['idempotency_key'] = $key;
    }
    $response = new WP_REST_Response($body, 201);
    $response->header('Cache-Control', 'no-store');
    return $response;
}

function donations_total()
{
    global $wpdb;
    $table = donations_table();
    $row = $wpdb->get_row("SELECT COUNT(*) AS n, COALESCE(SUM(amount_cents), 0) AS total FROM `$table`");
    if ($row === null && $wpdb->last_error !== '') {
        return donations_unavailable('The total could not be read; please try again.'); // not a total of 0
    }
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
            'idempotency_key' => [
                'description' => 'Optional; the Idempotency-Key header does the same. ' . DONATIONS_KEY_MESSAGE,
                'required' => false,
                'validate_callback' => fn ($value) => donations_validate_key($value),
            ],
        ],
    ]);
    register_rest_route('donations/v1', '/total', [
        'methods' => 'GET',
        'callback' => 'donations_total',
        'permission_callback' => '__return_true',
    ]);
});
