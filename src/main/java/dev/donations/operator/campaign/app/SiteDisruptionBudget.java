package dev.donations.operator.campaign.app;

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

/** Node drains take at most one site pod at a time. */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            onUpdateFilter = UpdateFilters.OwnedFields.class,
            name = SiteDisruptionBudget.NAME,
            labelSelector = CampaignLabels.SITE_SELECTOR))
public class SiteDisruptionBudget extends CampaignDependent<PodDisruptionBudget> {

  public static final String NAME = "site-disruption-budget";

  public SiteDisruptionBudget() {
    super(PodDisruptionBudget.class, CampaignLabels.COMPONENT_SITE);
  }

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.site(campaign);
  }

  @Override
  protected PodDisruptionBudget desired(
      ResolvedCampaign campaign, Context<CharityCampaign> context) {
    CharityCampaign c = campaign.campaign();
    return DisruptionBudgets.oneAtATime(metadata(c), c, CampaignLabels.COMPONENT_SITE);
  }
}
