# Runs inside the new root file system (sh -eu), after the packages are in place.
# The user the operator image runs as: uid 185, group 0 (as in the UBI OpenJDK images), home /deployments.
if getent passwd 185 >/dev/null; then echo "uid 185 is taken" >&2; exit 1; fi
# (The essential variant has no passwd package, so the entry is written directly.)
echo 'default:x:185:0:Java application:/deployments:/usr/sbin/nologin' >> /etc/passwd
mkdir -p /deployments
chown 185:0 /deployments
chmod 0775 /deployments
# JAVA_HOME without the architecture in its name.
ln -s "$(dirname "$(dirname "$(readlink -f /usr/bin/java)")")" /usr/lib/jvm/java-17
test -x /usr/lib/jvm/java-17/bin/java
/usr/lib/jvm/java-17/bin/java -version
# Not used by a JRE: javac's --release data, and the class data archive for heaps without compressed oops.
rm -f /usr/lib/jvm/java-17/lib/ct.sym /usr/lib/jvm/java-17/lib/server/classes_nocoops.jsa
# The Java trust store that ca-certificates-java made.
test -s /etc/ssl/certs/java/cacerts
