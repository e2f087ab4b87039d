<?php
/**
 * GET /healthz: 200 "ok" when PHP runs and the database answers SELECT 1 within about 2 s, else 503 with
 * a short reason. Does not load WordPress.
 */
require __DIR__ . '/db.php';

header('Content-Type: text/plain; charset=utf-8');
header('Cache-Control: no-store');
$error = null;
$db = donation_db_connect(2, $error);
if ($db !== null) {
    $result = @$db->query('SELECT 1');
    if ($result === false) {
        $error = 'SELECT 1 failed (error ' . $db->errno . ')';
    }
    $db->close();
}
if ($error !== null) {
    http_response_code(503);
    echo 'database: ' . $error . "\n";
    exit;
}
echo "ok\n";
