<?php
/**
 * WordPress's drop-in for "Error establishing a database connection": wpdb loads WP_CONTENT_DIR/db-error.php
 * (web/app here) instead of its own page when it cannot connect, or reconnect mid-request, and dies after
 * it. WordPress's page is a 500; the database being away is a 503 that tells clients and the ingress to
 * come back soon. A visitor's request failed; a donation with an idempotency key may be retried safely.
 * Plain PHP only: little of WordPress is loaded at this point.
 */
if (!headers_sent()) {
    http_response_code(503);
    header('Retry-After: 5');
    header('Cache-Control: no-store');
    header_remove('Expires');
    header_remove('Last-Modified');
}
// The REST API (the donation form's back end) gets JSON in the shape of its other errors.
$uri = $_SERVER['REQUEST_URI'] ?? '';
if (strpos($uri, '/wp-json/') !== false || isset($_GET['rest_route'])) {
    if (!headers_sent()) {
        header('Content-Type: application/json; charset=UTF-8');
    }
    echo '{"code":"donations_unavailable","message":"The site cannot reach its database; please try again in a few seconds.","data":{"status":503}}';
    return;
}
if (!headers_sent()) {
    header('Content-Type: text/html; charset=UTF-8');
}
?>
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Back in a moment</title>
</head>
<body style="font-family: sans-serif; max-width: 36em; margin: 4em auto; padding: 0 1em;">
<h1>Back in a moment</h1>
<p>The site cannot reach its database right now. Please try again in a few seconds.</p>
</body>
</html>
