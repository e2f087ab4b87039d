package dev.donations.operator.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every campaign the API server accepts must make children it accepts too: a name that passes the
 * CRD's rule on metadata.name gives valid Service, Secret, ConfigMap and Deployment names, label values,
 * RDS identifiers and bucket names; a host that passes the campaign's pattern is a hostname an HTTPRoute
 * takes. The generators walk the edges (one character, the maximum length, hyphens everywhere allowed).
 */
class ChildNamesProperties {

  static final Pattern DNS_1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  static final Pattern DNS_1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  static final Pattern RDS_IDENTIFIER = Pattern.compile("[a-z]([a-z0-9]|-(?!-))*[a-z0-9]");
  static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  static final Pattern SITE_HOST = Pattern.compile(sitePattern());

  /** Names the CRD's rule accepts: a DNS-1035 label of at most NAME_MAX characters. */
  @Provide
  Arbitrary<String> campaignNames() {
    return label(Arbitraries.chars().range('a', 'z'), CharityCampaign.NAME_MAX)
        .filter(n -> n.matches(CharityCampaign.NAME_PATTERN.replace("^", "").replace("$", "")));
  }

  @Provide
  Arbitrary<String> namespaces() {
    return label(Arbitraries.chars().range('a', 'z').with('0', '1', '9'), 63);
  }

  /** Hosts the campaign's pattern accepts: labels, and a last label starting with a letter. */
  @Provide
  Arbitrary<String> hosts() {
    Arbitrary<String> labels = label(Arbitraries.chars().range('a', 'z').with('0', '7'), 63).list().ofMinSize(1).ofMaxSize(3)
        .map(l -> String.join(".", l));
    return Combinators.combine(labels, label(Arbitraries.chars().range('a', 'z'), 20)).as((a, b) -> a + "." + b)
        .filter(h -> h.length() <= 253 && SITE_HOST.matcher(h).matches());
  }

  /** A DNS-style label: first character from {@code first}, then letters, digits and hyphens, alphanumeric last. */
  private static Arbitrary<String> label(Arbitrary<Character> first, int max) {
    Arbitrary<String> middle = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-").ofMaxLength(Math.max(0, max - 2));
    Arbitrary<String> last = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofLength(1);
    return Arbitraries.oneOf(
        first.map(String::valueOf),
        Combinators.combine(first, middle, last).as((f, m, l) -> f + m + l).filter(s -> s.length() <= max));
  }

  @Property(tries = 500)
  void everyChildOfAnAcceptedNameIsAcceptedToo(@ForAll("campaignNames") String name, @ForAll("namespaces") String namespace) {
    CharityCampaign c = TestCampaigns.campaign(name, "donate.example.org", "2026-11-01T10:00:00Z");
    c.getMetadata().setNamespace(namespace);
    for (String child : List.of(CampaignNames.site(c), CampaignNames.fallback(c), CampaignNames.ingress(c),
        CampaignNames.databaseSecret(c), CampaignNames.saltsSecret(c), CampaignNames.adminSecret(c),
        CampaignNames.siteConfig(c), CampaignNames.headroom(c), CampaignNames.uploadsClaim(c))) {
      assertThat(child).as("a Service-grade name").hasSizeLessThanOrEqualTo(63).matches(DNS_1035);
    }
    assertThat(CampaignNames.uploadsVolume(c)).hasSizeLessThanOrEqualTo(253).matches(DNS_1123_SUBDOMAIN);
    for (String component : List.of(CampaignLabels.COMPONENT_SITE, CampaignLabels.COMPONENT_FALLBACK, CampaignLabels.COMPONENT_HEADROOM)) {
      for (Map.Entry<String, String> label : CampaignLabels.of(c, component).entrySet()) {
        assertThat(label.getValue()).as(label.getKey()).hasSizeLessThanOrEqualTo(63).matches(LABEL_VALUE);
      }
    }
    String db = CampaignNames.databaseIdentifier(c);
    assertThat(db).hasSizeLessThanOrEqualTo(63).matches(RDS_IDENTIFIER);
    assertThat(CampaignNames.parameterGroup(c)).hasSizeLessThanOrEqualTo(255).matches(RDS_IDENTIFIER);
    assertThat(CampaignNames.finalSnapshot(c)).hasSizeLessThanOrEqualTo(255).matches(RDS_IDENTIFIER);
    assertThat(CampaignNames.fallbackBucket(c, "donation-local-x")).matches(BUCKET).doesNotContain("..");
    assertThat(CampaignNames.fileSystemToken(c)).hasSizeLessThanOrEqualTo(64);
    assertThat(CampaignStatusFacts.key(c)).hasSizeLessThanOrEqualTo(256);
  }

  @Property(tries = 300)
  void everyAcceptedHostIsAnHttpRouteHostname(@ForAll("hosts") String host) throws IOException {
    assertThat(host).matches(httpRouteHostnamePattern());
  }

  @Example
  void theRuleTheApiServerEnforcesIsTheOneTheseGeneratorsFollow() throws IOException {
    String crd = Files.readString(Path.of("crds/charitycampaigns.donations.dev-v1.yml"));
    assertThat(crd).contains("self.metadata.name.matches('" + CharityCampaign.NAME_PATTERN + "')")
        .containsPattern("size\\(self.metadata.name\\)\\\\?\\s*\\\\?\\s*<= " + CharityCampaign.NAME_MAX);
    int longest = List.of("-site", "-fallback", "-db", "-wp-salts", "-wp-admin", "-site-config", "-headroom", "-uploads").stream()
        .mapToInt(String::length).max().orElseThrow();
    assertThat(CharityCampaign.NAME_MAX + longest).isEqualTo(63);
  }

  /** spec.site.host's pattern, from the campaign CRD. */
  private static String sitePattern() {
    try {
      String crd = Files.readString(Path.of("crds/charitycampaigns.donations.dev-v1.yml"));
      Matcher m = Pattern.compile("host:\\s*\\n\\s*description:[^\\n]*\\n(?:[^\\n]*\\n)*?\\s*pattern: \"([^\"]+)\"").matcher(crd);
      assertThat(m.find()).as("spec.site.host's pattern in the CRD").isTrue();
      return m.group(1).replace("\\\\", "\\");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The pattern Gateway API v1.6.3 puts on an HTTPRoute's spec.hostnames items. */
  private static String httpRouteHostnamePattern() throws IOException {
    try (InputStream in = ChildNamesProperties.class.getResourceAsStream("/crds/gateway-api-v1.6.3-standard.yaml")) {
      String crds = new String(in.readAllBytes());
      int route = crds.indexOf("name: httproutes.gateway.networking.k8s.io");
      int hostnames = crds.indexOf("hostnames:", route);
      Matcher m = Pattern.compile("pattern: (\\S+)").matcher(crds);
      assertThat(m.find(hostnames)).isTrue();
      return m.group(1).replace("'", "");
    }
  }
}
