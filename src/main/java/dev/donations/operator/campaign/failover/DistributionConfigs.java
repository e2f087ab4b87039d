package dev.donations.operator.campaign.failover;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.cloudfront.model.Aliases;
import software.amazon.awssdk.services.cloudfront.model.DefaultCacheBehavior;
import software.amazon.awssdk.services.cloudfront.model.Distribution;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.cloudfront.model.HttpVersion;
import software.amazon.awssdk.services.cloudfront.model.Method;
import software.amazon.awssdk.services.cloudfront.model.MinimumProtocolVersion;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.cloudfront.model.OriginGroup;
import software.amazon.awssdk.services.cloudfront.model.OriginGroups;
import software.amazon.awssdk.services.cloudfront.model.Origins;
import software.amazon.awssdk.services.cloudfront.model.SSLSupportMethod;
import software.amazon.awssdk.services.cloudfront.model.SslProtocol;
import software.amazon.awssdk.services.cloudfront.model.ViewerCertificate;
import software.amazon.awssdk.services.cloudfront.model.ViewerProtocolPolicy;

/**
 * Translates between {@link DistributionSettings} and CloudFront's DistributionConfig, both ways.
 * Pure: the same settings always make the same config, and reading that config back gives the same
 * settings.
 */
public final class DistributionConfigs {

  /**
   * Every method reaches the site (donation forms POST); CloudFront fails over for GET, HEAD and
   * OPTIONS only.
   */
  private static final List<Method> METHODS =
      List.of(
          Method.GET,
          Method.HEAD,
          Method.OPTIONS,
          Method.PUT,
          Method.PATCH,
          Method.POST,
          Method.DELETE);

  private DistributionConfigs() {}

  /**
   * The whole config for the settings; CloudFront replaces a distribution's config as a whole on
   * update.
   */
  public static DistributionConfig of(
      DistributionSettings s, String callerReference, boolean enabled) {
    return DistributionConfig.builder()
        .callerReference(callerReference)
        .comment(s.comment())
        .enabled(enabled)
        .priceClass(s.priceClass())
        .httpVersion(HttpVersion.HTTP2_AND3)
        .isIPV6Enabled(true)
        .aliases(a -> a.quantity(s.aliases().size()).items(s.aliases()))
        .origins(
            o ->
                o.quantity(2)
                    .items(
                        origin(
                            DistributionSettings.PRIMARY,
                            s.loadBalancer(),
                            s.originProtocolPolicy()),
                        origin(
                            DistributionSettings.SECONDARY,
                            s.website(),
                            s.websiteProtocolPolicy())))
        .originGroups(
            g ->
                g.quantity(1)
                    .items(
                        OriginGroup.builder()
                            .id(s.target())
                            .failoverCriteria(
                                f ->
                                    f.statusCodes(
                                        c ->
                                            c.quantity(s.failoverStatusCodes().size())
                                                .items(s.failoverStatusCodes())))
                            .members(
                                m ->
                                    m.quantity(2)
                                        .items(
                                            b -> b.originId(DistributionSettings.PRIMARY),
                                            b -> b.originId(DistributionSettings.SECONDARY)))
                            .build()))
        .defaultCacheBehavior(
            b ->
                b.targetOriginId(s.target())
                    .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                    .allowedMethods(
                        m ->
                            m.quantity(METHODS.size())
                                .items(METHODS)
                                .cachedMethods(c -> c.quantity(2).items(Method.GET, Method.HEAD)))
                    .compress(true)
                    .cachePolicyId(s.cachePolicyId())
                    .originRequestPolicyId(s.originRequestPolicyId()))
        .viewerCertificate(certificate(s.certificateArn()))
        .build();
  }

  private static Origin origin(String id, String domain, String protocolPolicy) {
    return Origin.builder()
        .id(id)
        .domainName(domain)
        .originPath("")
        .customHeaders(h -> h.quantity(0))
        // CloudFront's defaults, written out: they decide how fast a dead load balancer fails over.
        .connectionAttempts(3)
        .connectionTimeout(10)
        .customOriginConfig(
            c ->
                c.httpPort(80)
                    .httpsPort(443)
                    .originProtocolPolicy(protocolPolicy)
                    .originSslProtocols(p -> p.quantity(1).items(SslProtocol.TLS_V1_2))
                    .originReadTimeout(30)
                    .originKeepaliveTimeout(5))
        .build();
  }

  private static ViewerCertificate certificate(String arn) {
    return arn == null
        ? ViewerCertificate.builder().cloudFrontDefaultCertificate(true).build()
        : ViewerCertificate.builder()
            .acmCertificateArn(arn)
            .sslSupportMethod(SSLSupportMethod.SNI_ONLY)
            .minimumProtocolVersion(MinimumProtocolVersion.TLS_V1_2_2021)
            .build();
  }

  /** The settings a distribution has now, read from its full config. */
  public static DistributionSettings read(DistributionConfig c) {
    return read(
        c.comment(),
        c.origins(),
        c.originGroups(),
        c.defaultCacheBehavior(),
        c.aliases(),
        c.viewerCertificate(),
        c.priceClassAsString());
  }

  /** The same, from a ListDistributions summary. */
  public static DistributionSettings read(DistributionSummary c) {
    return read(
        c.comment(),
        c.origins(),
        c.originGroups(),
        c.defaultCacheBehavior(),
        c.aliases(),
        c.viewerCertificate(),
        c.priceClassAsString());
  }

  /** The state of a distribution as GetDistribution returns it. */
  public static DistributionState state(Distribution d) {
    return new DistributionState(
        d.id(),
        d.domainName(),
        d.status(),
        Boolean.TRUE.equals(d.distributionConfig().enabled()),
        read(d.distributionConfig()));
  }

  /** The state of a distribution as ListDistributions returns it. */
  public static DistributionState state(DistributionSummary d) {
    return new DistributionState(
        d.id(), d.domainName(), d.status(), Boolean.TRUE.equals(d.enabled()), read(d));
  }

  private static DistributionSettings read(
      String comment,
      Origins origins,
      OriginGroups groups,
      DefaultCacheBehavior behaviour,
      Aliases aliases,
      ViewerCertificate certificate,
      String priceClass) {
    Optional<Origin> primary = origin(origins, DistributionSettings.PRIMARY);
    Optional<Origin> secondary = origin(origins, DistributionSettings.SECONDARY);
    Optional<OriginGroup> group =
        groups == null || groups.items() == null
            ? Optional.empty()
            : groups.items().stream()
                .filter(g -> g.id().equals(behaviour == null ? null : behaviour.targetOriginId()))
                .findFirst();
    // An origin group whose members are not primary, then secondary, is not ours: it reads as no
    // group.
    group =
        group.filter(
            g ->
                g.members() != null
                    && g.members().items() != null
                    && g.members().items().stream()
                        .map(m -> m.originId())
                        .toList()
                        .equals(
                            List.of(DistributionSettings.PRIMARY, DistributionSettings.SECONDARY)));
    return new DistributionSettings(
        comment,
        primary.map(Origin::domainName).orElse(null),
        primary.map(DistributionConfigs::protocolPolicy).orElse(null),
        secondary.map(Origin::domainName).orElse(null),
        secondary.map(DistributionConfigs::protocolPolicy).orElse(null),
        group
            .map(g -> g.failoverCriteria().statusCodes().items().stream().sorted().toList())
            .orElse(List.of()),
        group.map(OriginGroup::id).orElse(null),
        behaviour == null ? null : behaviour.cachePolicyId(),
        behaviour == null ? null : behaviour.originRequestPolicyId(),
        aliases == null || aliases.items() == null
            ? List.of()
            : aliases.items().stream().sorted().toList(),
        // The ACM certificate when there is one, whatever CloudFrontDefaultCertificate says beside
        // it.
        certificate == null
                || certificate.acmCertificateArn() == null
                || certificate.acmCertificateArn().isEmpty()
            ? null
            : certificate.acmCertificateArn(),
        priceClass);
  }

  private static Optional<Origin> origin(Origins origins, String id) {
    return origins == null || origins.items() == null
        ? Optional.empty()
        : origins.items().stream().filter(o -> Objects.equals(o.id(), id)).findFirst();
  }

  private static String protocolPolicy(Origin o) {
    return o.customOriginConfig() == null
        ? null
        : o.customOriginConfig().originProtocolPolicyAsString();
  }
}
