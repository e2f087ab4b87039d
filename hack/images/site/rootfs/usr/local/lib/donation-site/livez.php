<?php
/** GET /livez: 200 "ok" when Apache and PHP answer. No database, no WordPress. */
header('Content-Type: text/plain; charset=utf-8');
header('Cache-Control: no-store');
echo "ok\n";
