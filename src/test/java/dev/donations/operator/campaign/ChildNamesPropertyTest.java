package dev.donations.operator.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every campaign the API server accepts must make children it accepts too: a name that passes the
 * CRD's rule on metadata.name gives valid Service, Secret, ConfigMap and Deployment names, label
 * values, RDS identifiers and bucket names; a host that passes the campaign's pattern is a hostname
 * an HTTPRoute takes. Seeded random generators walk the edges (one character, the maximum length,
 * hyphens wherever they are allowed), a few thousand cases per run; a failure names the case and
 * the seed.
 */
class ChildNamesPropertyTest {

  static final Pattern DNS_1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  static final Pattern DNS_1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  static final Pattern RDS_IDENTIFIER = Pattern.compile("[a-z]([a-z0-9]|-(?!-))*[a-z0-9]");
  static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  static final Pattern SITE_HOST = Pattern.compile(sitePattern());

  static final long SEED = Long.getLong("names.seed", 20261130L);
  static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

  /** Names the CRD's rule accepts: a DNS-1035 label of at most NAME_MAX characters. */
  static String campaignName(Random r) {
    return label(r, "abcdefghijklmnopqrstuvwxyz", CharityCampaign.NAME_MAX);
  }

  static String namespace(Random r) {
    return label(r, ALNUM, 63);
  }

  /**
   * Hosts the campaign's pattern accepts: one to three labels, and a last label starting with a
   * letter.
   */
  static String host(Random r) {
    String host;
    do {
      StringBuilder h = new StringBuilder();
      int labels = 1 + r.nextInt(3);
      for (int i = 0; i < labels; i++) {
        h.append(label(r, ALNUM, 63)).append('.');
      }
      host = h.append(label(r, "abcdefghijklmnopqrstuvwxyz", 20)).toString();
    } while (host.length() > 253 || !SITE_HOST.matcher(host).matches());
    return host;
  }

  /**
   * A DNS-style label: a first character from {@code first}, then letters, digits and hyphens, with
   * an alphanumeric last character; lengths favour the edges (1 and max).
   */
  static String label(Random r, String first, int max) {
    int length =
        switch (r.nextInt(4)) {
          case 0 -> 1;
          case 1 -> max;
          default -> 1 + r.nextInt(max);
        };
    StringBuilder s = new StringBuilder().append(first.charAt(r.nextInt(first.length())));
    for (int i = 1; i < length - 1; i++) {
      s.append(r.nextInt(3) == 0 ? '-' : ALNUM.charAt(r.nextInt(ALNUM.length())));
    }
    if (length > 1) {
      s.append(ALNUM.charAt(r.nextInt(ALNUM.length())));
    }
    return s.toString();
  }

  /** Runs a property over generated cases, naming the failing case and the seed. */
  static <T> void forAll(
      int cases, Supplier<T> generator, java.util.function.Consumer<T> property) {
    for (int i = 0; i < cases; i++) {
      T value = generator.get();
      try {
        property.accept(value);
      } catch (AssertionError e) {
        throw new AssertionError(
            "property failed for " + value + " (case " + i + ", seed " + SEED + ")", e);
      }
    }
  }

  @Test
  void everyChildOfAnAcceptedNameIsAcceptedToo() {
    Random r = new Random(SEED);
    forAll(
        3000,
        () -> List.of(campaignName(r), namespace(r)),
        pair -> childrenAreValid(pair.get(0), pair.get(1)));
  }

  private static void childrenAreValid(String name, String namespace) {
    assertThat(name)
        .matches(CharityCampaign.NAME_PATTERN.replace("^", "").replace("$", ""))
        .hasSizeLessThanOrEqualTo(CharityCampaign.NAME_MAX);
    CharityCampaign c = TestCampaigns.campaign(name, "donate.example.org", "2026-11-01T10:00:00Z");
    c.getMetadata().setNamespace(namespace);
    for (String child :
        List.of(
            CampaignNames.site(c),
            CampaignNames.fallback(c),
            CampaignNames.ingress(c),
            CampaignNames.databaseSecret(c),
            CampaignNames.saltsSecret(c),
            CampaignNames.adminSecret(c),
            CampaignNames.siteConfig(c),
            CampaignNames.headroom(c),
            CampaignNames.uploadsClaim(c))) {
      assertThat(child).as("a Service-grade name").hasSizeLessThanOrEqualTo(63).matches(DNS_1035);
    }
    assertThat(CampaignNames.uploadsVolume(c))
        .hasSizeLessThanOrEqualTo(253)
        .matches(DNS_1123_SUBDOMAIN);
    for (String component :
        List.of(
            CampaignLabels.COMPONENT_SITE,
            CampaignLabels.COMPONENT_FALLBACK,
            CampaignLabels.COMPONENT_HEADROOM)) {
      for (Map.Entry<String, String> label : CampaignLabels.of(c, component).entrySet()) {
        assertThat(label.getValue())
            .as(label.getKey())
            .hasSizeLessThanOrEqualTo(63)
            .matches(LABEL_VALUE);
      }
    }
    String db = CampaignNames.databaseIdentifier(c);
    assertThat(db).hasSizeLessThanOrEqualTo(63).matches(RDS_IDENTIFIER);
    assertThat(CampaignNames.parameterGroup(c))
        .hasSizeLessThanOrEqualTo(255)
        .matches(RDS_IDENTIFIER);
    assertThat(CampaignNames.finalSnapshot(c))
        .hasSizeLessThanOrEqualTo(255)
        .matches(RDS_IDENTIFIER);
    assertThat(CampaignNames.fallbackBucket(c, "donation-local-x"))
        .matches(BUCKET)
        .doesNotContain("..");
    assertThat(CampaignNames.fileSystemToken(c)).hasSizeLessThanOrEqualTo(64);
    assertThat(CampaignStatusFacts.key(c)).hasSizeLessThanOrEqualTo(256);
  }

  @Test
  void everyAcceptedHostIsAnHttpRouteHostname() throws IOException {
    Random r = new Random(SEED);
    Pattern hostname = Pattern.compile(httpRouteHostnamePattern());
    forAll(2000, () -> host(r), h -> assertThat(h).matches(hostname));
  }

  @Test
  void theRuleTheApiServerEnforcesIsTheOneTheseGeneratorsFollow() throws IOException {
    String crd = Files.readString(Path.of("crds/charitycampaigns.donations.dev-v1.yml"));
    assertThat(crd)
        .contains("self.metadata.name.matches('" + CharityCampaign.NAME_PATTERN + "')")
        .containsPattern(
            "size\\(self.metadata.name\\)\\\\?\\s*\\\\?\\s*<= " + CharityCampaign.NAME_MAX);
    int longest =
        List.of(
                "-site",
                "-fallback",
                "-db",
                "-wp-salts",
                "-wp-admin",
                "-site-config",
                "-headroom",
                "-uploads")
            .stream()
            .mapToInt(String::length)
            .max()
            .orElseThrow();
    assertThat(CharityCampaign.NAME_MAX + longest).isEqualTo(63);
  }

  /** spec.site.host's pattern, from the campaign CRD. */
  private static String sitePattern() {
    try {
      String crd = Files.readString(Path.of("crds/charitycampaigns.donations.dev-v1.yml"));
      Matcher m =
          Pattern.compile(
                  "host:\\s*\\n\\s*description:[^\\n]*\\n(?:[^\\n]*\\n)*?\\s*pattern: \"([^\"]+)\"")
              .matcher(crd);
      assertThat(m.find()).as("spec.site.host's pattern in the CRD").isTrue();
      return m.group(1).replace("\\\\", "\\");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The pattern Gateway API v1.6.3 puts on an HTTPRoute's spec.hostnames items. */
  private static String httpRouteHostnamePattern() throws IOException {
    try (InputStream in =
        ChildNamesPropertyTest.class.getResourceAsStream(
            "/crds/gateway-api-v1.6.3-standard.yaml")) {
      String crds = new String(in.readAllBytes());
      int route = crds.indexOf("name: httproutes.gateway.networking.k8s.io");
      int hostnames = crds.indexOf("hostnames:", route);
      Matcher m = Pattern.compile("pattern: (\\S+)").matcher(crds);
      assertThat(m.find(hostnames)).isTrue();
      return m.group(1).replace("'", "");
    }
  }
}
