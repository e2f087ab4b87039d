package dev.donations.operator.campaign.database;

import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.campaign.Conditions;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.StatusConditions;
import io.fabric8.kubernetes.api.model.Condition;

/**
 * The campaign's ConnectionBudget condition and figures. Not part of Ready: an over-budget site
 * still serves, capped, and says so. Pure.
 */
public final class ConnectionBudgetCondition {

  private ConnectionBudgetCondition() {}

  public static Condition of(
      ResolvedCampaign resolved, CharityCampaignStatus status, StatusConditions c) {
    var budget = resolved.budget();
    var figures = new CharityCampaignStatus.ConnectionBudgetStatus();
    figures.requiredConnections = budget.required();
    figures.instanceClassLimit = budget.instanceClassLimit();
    figures.configuredMaxConnections = budget.configured();
    figures.effectiveMaxReplicas = budget.effectiveMaxReplicas();
    figures.parameterGroup = resolved.database().parameterGroup();
    status.connectionBudget = figures;
    return c.of(
        Conditions.CONNECTION_BUDGET,
        budget.sufficient(),
        budget.sufficient() ? "WithinBudget" : "OverBudget",
        budget.describe(resolved.database().instanceClass()));
  }
}
