package dev.donations.operator.campaign.failover;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignNames;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import software.amazon.awssdk.services.route53.model.HealthCheckAlreadyExistsException;
import software.amazon.awssdk.services.route53.model.HealthCheckType;
import software.amazon.awssdk.services.route53.model.NoSuchHealthCheckException;
import software.amazon.awssdk.services.route53.model.Tag;
import software.amazon.awssdk.services.route53.model.TagResourceType;

/**
 * The Route 53 calls of a campaign's health check. It is found by the id recorded in status, else
 * by its CallerReference, which names the campaign; a create repeats a CallerReference safely
 * (Route 53 answers with the health check it made), and takes the next one where Route 53 refuses a
 * used one.
 */
final class Route53HealthChecks {

  private static final Logger LOG = Logger.getLogger(Route53HealthChecks.class);
  private static final int MAX_GENERATIONS = 100;

  private Route53HealthChecks() {}

  static Optional<HealthCheckState> find(Route53Client r53, String recordedId, CharityCampaign c) {
    String prefix = CampaignNames.failover(c) + "-";
    if (recordedId != null) {
      try {
        HealthCheckState state =
            state(r53.getHealthCheck(b -> b.healthCheckId(recordedId)).healthCheck());
        if (state.callerReference().startsWith(prefix)) {
          return Optional.of(state);
        }
      } catch (NoSuchHealthCheckException e) {
        LOG.debugf(
            "health check %s is gone; looking for %s* by CallerReference", recordedId, prefix);
      }
    }
    return all(r53, c).stream().max(Comparator.comparingInt(HealthCheckState::generation));
  }

  /** Every health check of the campaign, the current one and any left over from a replacement. */
  static List<HealthCheckState> all(Route53Client r53, CharityCampaign c) {
    String prefix = CampaignNames.failover(c) + "-";
    return r53.listHealthChecksPaginator().healthChecks().stream()
        .filter(h -> h.callerReference() != null && h.callerReference().startsWith(prefix))
        .map(Route53HealthChecks::state)
        .toList();
  }

  static HealthCheckState create(
      Route53Client r53,
      CharityCampaign c,
      Route53Settings.HealthCheck settings,
      Map<String, String> tags,
      int firstGeneration) {
    for (int n = firstGeneration; n < firstGeneration + MAX_GENERATIONS; n++) {
      String reference = CampaignNames.healthCheckReference(c, n);
      try {
        HealthCheck created =
            r53.createHealthCheck(
                    b ->
                        b.callerReference(reference)
                            .healthCheckConfig(
                                h ->
                                    h.type(HealthCheckType.HTTPS)
                                        .fullyQualifiedDomainName(settings.host())
                                        .port(443)
                                        .enableSNI(true)
                                        .resourcePath(settings.path())
                                        .requestInterval(settings.intervalSeconds())
                                        .failureThreshold(settings.failureThreshold())))
                .healthCheck();
        r53.changeTagsForResource(
            b ->
                b.resourceType(TagResourceType.HEALTHCHECK)
                    .resourceId(created.id())
                    .addTags(
                        tags.entrySet().stream()
                            .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                            .toList()));
        LOG.infof(
            "created Route 53 health check %s (%s) on https://%s%s",
            created.id(), reference, settings.host(), settings.path());
        return state(created);
      } catch (HealthCheckAlreadyExistsException e) {
        // Used before by a deleted health check, or by one with other settings: Route 53 never
        // reuses it.
        LOG.debugf("CallerReference %s is taken; trying the next", reference);
      }
    }
    throw new IllegalStateException(
        "no free health check CallerReference among "
            + MAX_GENERATIONS
            + " after "
            + CampaignNames.healthCheckReference(c, firstGeneration));
  }

  /** Changes what Route 53 can change in place: host, path, failure threshold. */
  static HealthCheckState update(
      Route53Client r53, HealthCheckState actual, Route53Settings.HealthCheck settings) {
    HealthCheck updated =
        r53.updateHealthCheck(
                b ->
                    b.healthCheckId(actual.id())
                        .fullyQualifiedDomainName(settings.host())
                        .resourcePath(settings.path())
                        .failureThreshold(settings.failureThreshold()))
            .healthCheck();
    LOG.infof(
        "updated Route 53 health check %s: https://%s%s, %d failures",
        actual.id(), settings.host(), settings.path(), settings.failureThreshold());
    return state(updated);
  }

  static void delete(Route53Client r53, String id) {
    try {
      r53.deleteHealthCheck(b -> b.healthCheckId(id));
      LOG.infof("deleted Route 53 health check %s", id);
    } catch (NoSuchHealthCheckException e) {
      LOG.debugf("health check %s is gone already", id);
    }
  }

  private static HealthCheckState state(HealthCheck h) {
    var config = h.healthCheckConfig();
    return new HealthCheckState(
        h.id(),
        h.callerReference(),
        new Route53Settings.HealthCheck(
            Route53Settings.normalize(config.fullyQualifiedDomainName()),
            config.resourcePath(),
            config.requestInterval() == null ? 30 : config.requestInterval(),
            config.failureThreshold() == null ? 3 : config.failureThreshold()));
  }
}
