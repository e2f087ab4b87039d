package dev.donations.operator.campaign.app;

import dev.donations.operator.api.v1alpha1.AutoscalingClassSpec;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.ResolvedCampaign;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * With KEDA installed, a ScaledObject replaces the HPA: it scales on the site's request latency
 * from Prometheus (what the talk's team learned scales in time, where CPU lags) and on CPU, inside
 * the same range, with a fallback replica count for when Prometheus cannot be asked.
 */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            name = SiteScaledObject.NAME,
            labelSelector = CampaignLabels.SITE_SELECTOR))
public class SiteScaledObject extends CampaignDependent<ScaledObject> {

  public static final String NAME = "site-scaledobject";

  public SiteScaledObject() {
    super(ScaledObject.class, CampaignLabels.COMPONENT_SITE);
  }

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.site(campaign);
  }

  @Override
  protected ScaledObject desired(ResolvedCampaign campaign, Context<CharityCampaign> context) {
    return build(campaign);
  }

  /**
   * Called when KEDA is absent (the activation condition is false): then no ScaledObject can exist,
   * and the API server could not even name the type, so there is nothing to delete.
   */
  @Override
  public void delete(CharityCampaign primary, Context<CharityCampaign> context) {
    if (KedaInstalled.installed(context)) {
      super.delete(primary, context);
    }
  }

  static ScaledObject build(ResolvedCampaign campaign) {
    CharityCampaign c = campaign.campaign();
    ResolvedCampaign.Scaling range = campaign.scaling();
    AutoscalingClassSpec autoscaling = campaign.site().autoscaling();
    List<Map<String, Object>> triggers = new ArrayList<>();
    if (autoscaling.prometheusAddress != null && !autoscaling.prometheusAddress.isBlank()) {
      triggers.add(
          Map.of(
              "type", "prometheus",
              "name", "latency",
              "metadata",
                  Map.of(
                      "serverAddress", autoscaling.prometheusAddress,
                      "query",
                          autoscaling
                              .latencyQuery
                              .replace("{{namespace}}", c.getMetadata().getNamespace())
                              .replace("{{campaign}}", c.getMetadata().getName()),
                      "threshold", autoscaling.targetLatencySeconds)));
    }
    triggers.add(
        Map.of(
            "type", "cpu",
            "metricType", "Utilization",
            "metadata", Map.of("value", String.valueOf(c.getSpec().scaling.targetCpuUtilization))));
    ScaledObject.Spec spec = new ScaledObject.Spec();
    spec.scaleTargetRef = Map.of("name", CampaignNames.site(c));
    spec.minReplicaCount = range.minReplicas();
    spec.maxReplicaCount = range.maxReplicas();
    spec.fallback =
        Map.of(
            "failureThreshold",
            autoscaling.fallbackFailureThreshold,
            "replicas",
            fallbackReplicas(range));
    spec.advanced =
        Map.of(
            "horizontalPodAutoscalerConfig",
            Map.of(
                "behavior",
                Map.of(
                    "scaleUp", Map.of("stabilizationWindowSeconds", 0),
                    "scaleDown",
                        Map.of(
                            "stabilizationWindowSeconds",
                            300,
                            "selectPolicy",
                            range.scaleInFrozen() ? "Disabled" : "Max"))));
    spec.triggers = triggers;
    ScaledObject so = new ScaledObject();
    so.setMetadata(
        CampaignDependent.standardMetadata(
            c, CampaignNames.site(c), CampaignLabels.COMPONENT_SITE));
    so.setSpec(spec);
    return so;
  }

  /**
   * Blind, KEDA holds half the range above the floor: a broadcast without metrics is no time to
   * shrink.
   */
  static int fallbackReplicas(ResolvedCampaign.Scaling range) {
    return Math.max(range.minReplicas(), (range.maxReplicas() + 1) / 2);
  }
}
