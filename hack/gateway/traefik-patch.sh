#!/usr/bin/env bash
# Makes a writable copy of Traefik's module (github.com/traefik/traefik/v3@$TRAEFIK_VERSION) build from the
# Go module proxy alone. Three things in its module graph are not served there (hack/gateway/README.md):
#   1. the nested module github.com/traefik/traefik/dynamic/ext, which go.mod replaces with
#      ./pkg/config/dynamic/ext, a directory the module zip leaves out: written here as the two empty
#      extension structs dynamic.HTTP and dynamic.Router embed;
#   2. the 2026 revision of Traefik's go-http-auth fork (basic and digest auth middlewares): replaced by the
#      fork's 2020 revision, which Traefik v3.6 builds with; the functions Traefik calls are the same;
#   3. thirteen SDKs behind lego's DNS-01 providers (github.com/go-acme/lego/v5/providers/dns): the one
#      call to that package, in the ACME provider, returns an error instead, so ACME DNS challenges are
#      unavailable (the test bed uses no ACME at all).
#   traefik-patch.sh DIR
set -euo pipefail
dir=$1
cd "$dir"

mkdir -p pkg/config/dynamic/ext
printf 'module github.com/traefik/traefik/dynamic/ext\n\ngo 1.24.0\n' > pkg/config/dynamic/ext/go.mod
cat > pkg/config/dynamic/ext/ext.go <<'GO'
// Package ext stands in for Traefik's nested module of the same path, which the module proxy does not
// serve: dynamic.HTTP and dynamic.Router embed these empty extension points.
package ext

type HTTP struct{}

type Router struct{}
GO

go mod edit -replace github.com/abbot/go-http-auth=github.com/containous/go-http-auth@v0.4.1-0.20200324110947-a37a7636d23e

acme=pkg/provider/acme/provider.go
grep -q '"github.com/go-acme/lego/v5/providers/dns"$' "$acme" || { echo "traefik-patch: lego dns import not found in $acme" >&2; exit 1; }
sed -i '/"github.com\/go-acme\/lego\/v5\/providers\/dns"$/d' "$acme"
grep -q 'dns.NewDNSChallengeProviderByName(p.DNSChallenge.Provider)' "$acme" || { echo "traefik-patch: DNS provider call not found in $acme" >&2; exit 1; }
sed -i 's#dns.NewDNSChallengeProviderByName(p.DNSChallenge.Provider)#nil, fmt.Errorf("DNS challenge provider %q: this build has no DNS-01 providers", p.DNSChallenge.Provider)#' "$acme"
