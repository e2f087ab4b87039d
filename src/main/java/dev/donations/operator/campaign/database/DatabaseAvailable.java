package dev.donations.operator.campaign.database;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The site waits until the instance serves queries (available, or doing routine work such as a
 * backup).
 */
public class DatabaseAvailable implements Condition<DatabaseInstance, CharityCampaign> {
  @Override
  public boolean isMet(
      DependentResource<DatabaseInstance, CharityCampaign> dependent,
      CharityCampaign primary,
      Context<CharityCampaign> context) {
    return dependent
        .getSecondaryResource(primary, context)
        .map(DatabaseInstance::serving)
        .orElse(false);
  }
}
