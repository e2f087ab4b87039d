# Runs inside the new root file system (sh -eu), after the packages and rootfs/ are in place.
# nginx runs as uid/gid 101 like nginxinc/nginx-unprivileged; it needs nothing writable but /tmp.
# (The essential variant has no passwd package, so the entries are written directly.)
if getent passwd 101 >/dev/null || getent group 101 >/dev/null; then echo "uid/gid 101 is taken" >&2; exit 1; fi
echo 'nginx:x:101:' >> /etc/group
echo 'nginx:x:101:101:nginx:/nonexistent:/usr/sbin/nologin' >> /etc/passwd
# No default server on port 80, no Debian sample pages.
rm -f /etc/nginx/sites-enabled/* /etc/nginx/sites-available/default /var/www/html/index.nginx-debian.html
rm -rf /etc/nginx/modules-enabled /etc/nginx/modules-available
# nginx opens its built-in error log before it reads the configuration: send it to stderr.
rm -rf /var/log/nginx
mkdir -p /var/log/nginx
ln -s /dev/stderr /var/log/nginx/error.log
ln -s /dev/stdout /var/log/nginx/access.log
# donation-operator mounts the page here.
mkdir -p /usr/share/nginx/fallback
cp /usr/share/nginx/html/index.html /usr/share/nginx/fallback/index.html
# The package's logrotate and systemd bits have no use in a container.
rm -f /etc/logrotate.d/nginx
nginx -t -c /etc/nginx/nginx.conf
