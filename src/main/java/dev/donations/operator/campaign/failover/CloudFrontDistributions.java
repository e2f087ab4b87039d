package dev.donations.operator.campaign.failover;

import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.DistributionAlreadyExistsException;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.DistributionList;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionConfigResponse;
import software.amazon.awssdk.services.cloudfront.model.NoSuchDistributionException;
import software.amazon.awssdk.services.cloudfront.model.Tag;

/**
 * The CloudFront calls of a campaign's failover distribution. A distribution is found by the id
 * recorded in status, else by its Comment, which names the campaign; every change sends the whole
 * config with the ETag that GetDistributionConfig just returned, as CloudFront requires.
 */
final class CloudFrontDistributions {

  private static final Logger LOG = Logger.getLogger(CloudFrontDistributions.class);

  private CloudFrontDistributions() {}

  /**
   * The distribution by its recorded id (when there is one and it is still ours), else by its
   * Comment.
   */
  static Optional<DistributionState> find(CloudFrontClient cf, String recordedId, String comment) {
    if (recordedId != null) {
      try {
        DistributionState state =
            DistributionConfigs.state(cf.getDistribution(b -> b.id(recordedId)).distribution());
        if (comment.equals(state.settings().comment())) {
          return Optional.of(state);
        }
      } catch (NoSuchDistributionException e) {
        LOG.debugf("distribution %s is gone; looking for %s by comment", recordedId, comment);
      }
    }
    return byComment(cf, comment);
  }

  /**
   * Pages through ListDistributions (the SDK has no paginator for it) for the one with this
   * Comment.
   */
  static Optional<DistributionState> byComment(CloudFrontClient cf, String comment) {
    String marker = null;
    do {
      String from = marker;
      DistributionList page =
          cf.listDistributions(b -> b.maxItems("100").marker(from)).distributionList();
      Optional<DistributionSummary> found =
          page.items().stream().filter(d -> comment.equals(d.comment())).findFirst();
      if (found.isPresent()) {
        return found.map(DistributionConfigs::state);
      }
      marker = Boolean.TRUE.equals(page.isTruncated()) ? page.nextMarker() : null;
    } while (marker != null);
    return Optional.empty();
  }

  /**
   * Creates the distribution unless one with this Comment exists already (a create whose status
   * write was lost); CloudFront refuses a second create with the same CallerReference.
   */
  static DistributionState create(
      CloudFrontClient cf,
      DistributionSettings settings,
      String callerReference,
      Map<String, String> tags) {
    Optional<DistributionState> existing = byComment(cf, settings.comment());
    if (existing.isPresent()) {
      LOG.infof(
          "adopting CloudFront distribution %s (%s)", existing.get().id(), settings.comment());
      return existing.get().settings().equals(settings) && existing.get().enabled()
          ? existing.get()
          : update(cf, existing.get().id(), settings, true);
    }
    try {
      var created =
          cf.createDistributionWithTags(
              b ->
                  b.distributionConfigWithTags(
                      w ->
                          w.distributionConfig(
                                  DistributionConfigs.of(settings, callerReference, true))
                              .tags(
                                  t ->
                                      t.items(
                                          tags.entrySet().stream()
                                              .map(
                                                  e ->
                                                      Tag.builder()
                                                          .key(e.getKey())
                                                          .value(e.getValue())
                                                          .build())
                                              .toList()))));
      LOG.infof(
          "created CloudFront distribution %s (%s)",
          created.distribution().id(), settings.comment());
      return DistributionConfigs.state(created.distribution());
    } catch (DistributionAlreadyExistsException e) {
      return byComment(cf, settings.comment())
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "CloudFront has a distribution with CallerReference "
                          + callerReference
                          + " but none with Comment "
                          + settings.comment()
                          + ": restore that Comment on it, or delete it, so the operator can adopt or replace it"));
    }
  }

  /** Replaces the distribution's config with the settings, keeping its CallerReference. */
  static DistributionState update(
      CloudFrontClient cf, String id, DistributionSettings settings, boolean enabled) {
    GetDistributionConfigResponse current = cf.getDistributionConfig(b -> b.id(id));
    DistributionConfig config =
        DistributionConfigs.of(settings, current.distributionConfig().callerReference(), enabled);
    var updated =
        cf.updateDistribution(b -> b.id(id).ifMatch(current.eTag()).distributionConfig(config));
    LOG.infof(
        "updated CloudFront distribution %s (%s), enabled=%s", id, settings.comment(), enabled);
    return DistributionConfigs.state(updated.distribution());
  }

  /**
   * One step of deleting: disable an enabled distribution, delete a disabled one once CloudFront
   * has deployed that, else wait. Called again on later reconciles until the distribution is gone.
   */
  static void deleteStep(CloudFrontClient cf, DistributionState d) {
    GetDistributionConfigResponse current = cf.getDistributionConfig(b -> b.id(d.id()));
    if (Boolean.TRUE.equals(current.distributionConfig().enabled())) {
      cf.updateDistribution(
          b ->
              b.id(d.id())
                  .ifMatch(current.eTag())
                  .distributionConfig(
                      current.distributionConfig().toBuilder().enabled(false).build()));
      LOG.infof(
          "disabled CloudFront distribution %s (%s); it is deleted once CloudFront has deployed that",
          d.id(), d.settings().comment());
    } else if (d.deployed()) {
      cf.deleteDistribution(b -> b.id(d.id()).ifMatch(current.eTag()));
      LOG.infof("deleted CloudFront distribution %s (%s)", d.id(), d.settings().comment());
    } else {
      LOG.debugf(
          "CloudFront distribution %s is disabled and %s; waiting for Deployed to delete it",
          d.id(), d.status());
    }
  }
}
