package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CampaignClass;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Optional;

/** Campaigns and classes for unit tests, built from YAML as users write them. */
public final class TestCampaigns {

  static final KubernetesSerialization YAML = new KubernetesSerialization();
  public static final SiteDefaults DEFAULTS =
      new SiteDefaults(
          "docker.io/nginxinc/nginx-unprivileged:1.29-alpine",
          "registry.k8s.io/pause:3.10",
          8080,
          "/var/www/html/web/app/uploads",
          "250m",
          "512Mi",
          33);

  private TestCampaigns() {}

  public static CampaignClass campaignClass() {
    return YAML.unmarshal(
        """
        apiVersion: donations.dev/v1alpha1
        kind: CampaignClass
        metadata: {name: broadcast}
        spec:
          region: eu-west-1
          database:
            subnetGroupName: private
            securityGroupIds: [sg-db]
            allowedInstanceClasses: [db.t4g.medium, db.r6g.large]
            defaultInstanceClass: db.t4g.medium
          storage:
            subnetIds: [subnet-a, subnet-b]
            securityGroupIds: [sg-efs]
          fallback: {bucketPrefix: donations}
          images: {wordpress: "registry.example/bedrock:1"}
        """,
        CampaignClass.class);
  }

  public static CharityCampaign campaign() {
    return campaign("song-request", "donate.example.org", "2026-11-01T10:00:00Z");
  }

  public static CharityCampaign campaign(String name, String host, String created) {
    CharityCampaign c =
        YAML.unmarshal(
            """
            apiVersion: donations.dev/v1alpha1
            kind: CharityCampaign
            metadata: {name: %s, namespace: radio, uid: 0b1c2d3e-%s, generation: 3, creationTimestamp: "%s"}
            spec:
              className: broadcast
              site: {host: %s}
              fallback: {title: "Be right back", donateInstructions: "Text SONG to 4333"}
            """
                .formatted(name, Integer.toHexString(name.hashCode()), created, host),
            CharityCampaign.class);
    return c;
  }

  /** The fixed "now" of unit tests. */
  public static final java.time.Instant NOW = java.time.Instant.parse("2026-12-01T12:00:00Z");

  public static ResolvedCampaign resolved(CharityCampaign c) {
    return resolved(c, NOW);
  }

  public static ResolvedCampaign resolved(CharityCampaign c, java.time.Instant now) {
    return CampaignResolver.resolve(
            c, Optional.of(campaignClass()), List.of(), Optional.empty(), DEFAULTS, now)
        .resolved()
        .orElseThrow();
  }

  /** The route of a site with ready pods, on ingress-nginx. */
  public static dev.donations.operator.campaign.route.RouteObservation siteServing() {
    return new dev.donations.operator.campaign.route.RouteObservation(
        new dev.donations.operator.campaign.route.RouteTarget(
            false, "SiteServing", "the route sends visitors to the site", 2, Optional.empty()),
        List.of(),
        Optional.empty());
  }
}
