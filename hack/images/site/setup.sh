# Runs inside the new root file system (sh -eu), after the packages and rootfs/ are in place.
# Lays WordPress out as Roots Bedrock does and sets Apache up to run as uid 33 on ${PORT:-8080}.
ROOT=/var/www/html
WEB=$ROOT/web

# WordPress core: Debian's files, moved to web/wp. Their relative links into /usr/share are made absolute
# first, and /usr/share/wordpress then points at web/wp.
cd /usr/share/wordpress
find . -type l | while read -r link; do
  target=$(readlink -f "$link")
  ln -sfn "$target" "$link"
done
cd /
rm -rf "$WEB/wp"
mv /usr/share/wordpress "$WEB/wp"
ln -s "$WEB/wp" /usr/share/wordpress

# Content in web/app: the default theme from the theme package, no bundled plugins, uploads owned by uid 33
# (donation-operator mounts a shared volume there).
mkdir -p "$WEB/app/themes" "$WEB/app/plugins" "$WEB/app/uploads"
mv "$WEB/wp/wp-content/themes/"* "$WEB/app/themes/"
rm -rf "$WEB/wp/wp-content" "$WEB/wp/wp-config.php" "$WEB/wp/wp-config-sample.php" "$WEB/wp/.htaccess" \
  "$WEB/wp/readme.html" /etc/wordpress "$ROOT/index.html"
chown 33:33 "$WEB/app/uploads"
chmod 0755 "$WEB/app/uploads"
test -f "$WEB/app/themes/twentytwentythree/theme.json"

# Apache: prefork + mod_php, our vhost and settings, logs to stdout/stderr, nothing under /var.
a2dismod -q -f mpm_event autoindex negotiation >/dev/null 2>&1 || true
a2enmod -q mpm_prefork php8.2 rewrite headers status >/dev/null
a2disconf -q other-vhosts-access-log serve-cgi-bin security >/dev/null
a2enconf -q donation >/dev/null
a2dissite -q 000-default >/dev/null
a2ensite -q donation >/dev/null
phpenmod donation
rm -rf /var/log/apache2/* /var/www/html/index.html

# Checks: every PHP file parses, the Apache configuration is valid, the layout is complete.
for f in /usr/local/lib/donation-site/*.php "$ROOT"/config/*.php "$ROOT"/config/environments/*.php \
  "$WEB"/*.php "$WEB"/app/db-error.php "$WEB"/app/mu-plugins/*.php; do
  php -l "$f" >/dev/null
done
php -m | grep -qx mysqli
php -m | grep -qx 'Zend OPcache'
test -f "$WEB/wp/wp-blog-header.php"
( . /etc/apache2/envvars && apache2 -t && apache2 -M 2>/dev/null | grep -q mpm_prefork_module )
rm -rf /tmp/apache2
