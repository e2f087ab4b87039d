package dev.donations.operator.campaign.app;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.ScalingSpec;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.UpdateFilters;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * autoscaling/v2 HPA on CPU between the floor and ceiling in force (peak windows and the connection
 * budget applied). It scales up at once and down slowly, so a burst of donations never meets a site
 * that just shrank.
 */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            onUpdateFilter = UpdateFilters.OwnedFields.class,
            name = SiteAutoscaler.NAME,
            labelSelector = CampaignLabels.SITE_SELECTOR))
public class SiteAutoscaler extends CampaignDependent<HorizontalPodAutoscaler> {

  public static final String NAME = "site-autoscaler";

  public SiteAutoscaler() {
    super(HorizontalPodAutoscaler.class, CampaignLabels.COMPONENT_SITE);
  }

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.site(campaign);
  }

  @Override
  protected HorizontalPodAutoscaler desired(
      ResolvedCampaign campaign, Context<CharityCampaign> context) {
    CharityCampaign c = campaign.campaign();
    ScalingSpec scaling = c.getSpec().scaling;
    ResolvedCampaign.Scaling range = campaign.scaling();
    return new HorizontalPodAutoscalerBuilder()
        .withMetadata(metadata(c))
        .withNewSpec()
        .withNewScaleTargetRef()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(CampaignNames.site(c))
        .endScaleTargetRef()
        .withMinReplicas(range.minReplicas())
        .withMaxReplicas(range.maxReplicas())
        .addNewMetric()
        .withType("Resource")
        .withNewResource()
        .withName("cpu")
        .withNewTarget()
        .withType("Utilization")
        .withAverageUtilization(scaling.targetCpuUtilization)
        .endTarget()
        .endResource()
        .endMetric()
        .withNewBehavior()
        .withNewScaleUp()
        .withStabilizationWindowSeconds(0)
        .addNewPolicy()
        .withType("Percent")
        .withValue(100)
        .withPeriodSeconds(15)
        .endPolicy()
        .endScaleUp()
        .withNewScaleDown()
        .withStabilizationWindowSeconds(300)
        // During a broadcast the site never shrinks, whatever a lull in the metrics says.
        .withSelectPolicy(range.scaleInFrozen() ? "Disabled" : "Max")
        .endScaleDown()
        .endBehavior()
        .endSpec()
        .build();
  }
}
