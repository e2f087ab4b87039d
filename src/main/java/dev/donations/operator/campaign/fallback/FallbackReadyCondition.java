package dev.donations.operator.campaign.fallback;

import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.campaign.CampaignObservation;
import dev.donations.operator.campaign.Conditions;
import dev.donations.operator.campaign.PartError;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.StatusConditions;
import dev.donations.operator.campaign.failover.FailoverReport;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.URI;
import java.util.Optional;

/**
 * The campaign's FallbackReady condition and the page's URL on S3: the nginx pods, the page on S3
 * and, when the class asks for it, the failover in front of the cluster. Pure.
 */
public final class FallbackReadyCondition {

  private FallbackReadyCondition() {}

  public static Condition of(
      ResolvedCampaign resolved,
      CampaignObservation observed,
      CharityCampaignStatus status,
      Optional<URI> awsEndpointOverride,
      StatusConditions c) {
    PartError error = observed.errorsByCondition().get(Conditions.FALLBACK_READY);
    String bucket = resolved.fallback().bucket();
    boolean pageOnS3 =
        observed
            .bucket()
            .map(b -> PageDigest.sha256(resolved.fallback().html()).equals(b.pageSha256()))
            .orElse(false);
    if (observed.bucket().isPresent()) {
      status.fallbackUrl = FallbackWebsite.url(bucket, resolved.region(), awsEndpointOverride);
    }
    if (error != null) {
      return c.error(Conditions.FALLBACK_READY, error);
    }
    int ready =
        observed.fallback().map(Deployment::getStatus).map(s -> s.getReadyReplicas()).orElse(0);
    if (ready < 1) {
      return c.of(
          Conditions.FALLBACK_READY, false, "PodsNotReady", "no fallback nginx pod is ready yet");
    }
    if (!pageOnS3) {
      return c.of(
          Conditions.FALLBACK_READY,
          false,
          "Uploading",
          "uploading the page to S3 bucket " + bucket);
    }
    String serving = ready + " fallback pods ready; the page is also on S3 bucket " + bucket;
    Optional<FailoverReport.Report> failover = FailoverReport.of(resolved, observed.failover());
    if (failover.isPresent() && !failover.get().ready()) {
      return c.of(
          Conditions.FALLBACK_READY, false, failover.get().reason(), failover.get().message());
    }
    return c.of(
        Conditions.FALLBACK_READY,
        true,
        "Serving",
        serving + failover.map(f -> "; " + f.message()).orElse(""));
  }
}
