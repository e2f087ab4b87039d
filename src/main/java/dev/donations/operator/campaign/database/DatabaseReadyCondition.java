package dev.donations.operator.campaign.database;

import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CampaignObservation;
import dev.donations.operator.campaign.Conditions;
import dev.donations.operator.campaign.PartError;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.StatusConditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Optional;

/** The campaign's DatabaseReady condition, and the database part of its status. Pure. */
public final class DatabaseReadyCondition {

  private DatabaseReadyCondition() {}

  public static Condition of(
      ResolvedCampaign resolved,
      CampaignObservation observed,
      CharityCampaignStatus status,
      StatusConditions c) {
    String id = resolved.database().identifier();
    CharityCampaignStatus.DatabaseStatus db = new CharityCampaignStatus.DatabaseStatus();
    db.identifier = id;
    db.secretName = CampaignNames.databaseSecret(resolved.campaign());
    status.database = db;
    PartError error = observed.errorsByCondition().get(Conditions.DATABASE_READY);
    Optional<DatabaseInstance> instance = observed.database();
    instance.ifPresent(
        i -> {
          db.state = i.state();
          db.endpoint = i.endpoint();
          db.port = i.port();
        });
    if (error != null) {
      return c.error(Conditions.DATABASE_READY, error);
    }
    if (instance.isEmpty()) {
      return c.of(Conditions.DATABASE_READY, false, "Creating", "creating RDS instance " + id);
    }
    if (!instance.get().serving()) {
      return c.of(
          Conditions.DATABASE_READY,
          false,
          "Waiting",
          "RDS instance "
              + id
              + " is "
              + instance.get().state()
              + "; creation usually takes 10 to 20 minutes");
    }
    return c.of(
        Conditions.DATABASE_READY,
        true,
        "Available",
        "RDS instance "
            + id
            + " ("
            + instance.get().instanceClass()
            + ") is "
            + instance.get().state());
  }
}
