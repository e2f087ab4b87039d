package dev.donations.operator.campaign.fallback;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.DisruptionBudgets;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.UpdateFilters;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Node drains take at most one fallback pod at a time, so the page never goes with the site. */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            onUpdateFilter = UpdateFilters.OwnedFields.class,
            name = FallbackDisruptionBudget.NAME,
            labelSelector = CampaignLabels.FALLBACK_SELECTOR))
public class FallbackDisruptionBudget extends CampaignDependent<PodDisruptionBudget> {

  public static final String NAME = "fallback-disruption-budget";

  public FallbackDisruptionBudget() {
    super(PodDisruptionBudget.class, CampaignLabels.COMPONENT_FALLBACK);
  }

  /** Named like the Deployment whose pods it guards, as the site's budget is. */
  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.fallback(campaign);
  }

  @Override
  protected PodDisruptionBudget desired(
      ResolvedCampaign campaign, Context<CharityCampaign> context) {
    CharityCampaign c = campaign.campaign();
    return DisruptionBudgets.oneAtATime(metadata(c), c, CampaignLabels.COMPONENT_FALLBACK);
  }
}
