package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/** The PodDisruptionBudgets of the campaign's Deployments: a drain takes one pod at a time. */
public final class DisruptionBudgets {

  private DisruptionBudgets() {}

  /** At most one of the component's pods unavailable through voluntary disruptions. */
  public static PodDisruptionBudget oneAtATime(
      ObjectMeta metadata, CharityCampaign campaign, String component) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(metadata)
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector()
        .withMatchLabels(CampaignLabels.selector(campaign, component))
        .endSelector()
        .endSpec()
        .build();
  }
}
