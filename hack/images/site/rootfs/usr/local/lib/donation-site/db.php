<?php
/**
 * The database settings from the environment, read as config/application.php reads them, and a
 * connection with short timeouts. Shared by healthz.php and install.php; never prints secrets.
 */

function donation_db_settings(): array
{
    $host = getenv('DB_HOST') ?: 'localhost';
    $port = (int) (getenv('DB_PORT') ?: 0);
    $socket = null;
    if (preg_match('/^(.*):(\d+)$/', $host, $m)) {
        [$host, $port] = [$m[1], (int) $m[2]];
    } elseif (preg_match('/^(.*):(\/.+)$/', $host, $m)) {
        [$host, $socket] = [$m[1], $m[2]];
    }
    return [
        'host' => $host,
        'port' => $port ?: 3306,
        'socket' => $socket,
        'name' => getenv('DB_NAME') ?: '',
        'user' => getenv('DB_USER') ?: '',
        'password' => getenv('DB_PASSWORD') ?: '',
    ];
}

/** A connection, or null with $error set to a short reason without secrets. */
function donation_db_connect(int $timeoutSeconds, ?string &$error = null): ?mysqli
{
    mysqli_report(MYSQLI_REPORT_OFF);
    $s = donation_db_settings();
    $db = mysqli_init();
    $db->options(MYSQLI_OPT_CONNECT_TIMEOUT, $timeoutSeconds);
    $db->options(MYSQLI_OPT_READ_TIMEOUT, $timeoutSeconds);
    if (!@$db->real_connect($s['host'], $s['user'], $s['password'], $s['name'], $s['port'], $s['socket'])) {
        $error = 'connect failed (error ' . mysqli_connect_errno() . ')';
        return null;
    }
    $error = null;
    return $db;
}
