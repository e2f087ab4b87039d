package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy;
import dev.donations.operator.campaign.database.DatabaseInstance;
import dev.donations.operator.campaign.database.DatabaseSecret;
import dev.donations.operator.campaign.database.RdsDatabase;
import dev.donations.operator.campaign.storage.EfsFileSystem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * What deleting a campaign does besides its dependents: the Deleting phase and condition in status
 * (what is being waited for, or which step failed and why), the final snapshot's name, and a copy
 * of the database credentials that stays with kept data.
 */
@ApplicationScoped
public class CampaignDeletion {

  private static final Logger LOG = Logger.getLogger(CampaignDeletion.class);

  private final CampaignEvents events;

  public CampaignDeletion(CampaignEvents events) {
    this.events = events;
  }

  /** Before the dependents go: the Deleting phase, its Event, and the credentials of what stays. */
  public void begin(CharityCampaign campaign, Context<CharityCampaign> context, String now) {
    if (campaign.getStatus() == null
        || campaign.getStatus().phase != CharityCampaignStatus.Phase.Deleting) {
      events.normal(
          campaign,
          "Deleting",
          "deleting with database policy "
              + CampaignStatusFacts.databaseDeletion(campaign)
              + " and storage policy "
              + CampaignStatusFacts.storageDeletion(campaign));
      write(campaign, context, "Started", "deleting the campaign's resources", now);
    }
    keepCredentials(campaign, context);
  }

  /** After a cleanup pass that could not finish: status says what is awaited or what failed. */
  void progress(
      CharityCampaign campaign,
      Context<CharityCampaign> context,
      WorkflowOutcome result,
      String now) {
    if (result.failed()) {
      List<String> failures = new ArrayList<>();
      result
          .errors()
          .forEach(
              (name, e) -> failures.add("deleting " + name + " failed: " + Errors.describe(e)));
      failures.forEach(f -> LOG.warnf("%s: %s", CampaignStatusFacts.key(campaign), f));
      write(campaign, context, "DeleteFailed", String.join("; ", failures) + "; retrying", now);
      return;
    }
    List<String> waiting = new ArrayList<>();
    for (String dependent : result.waiting()) {
      if (RdsDatabase.NAME.equals(dependent)) {
        String state =
            context
                .getSecondaryResource(DatabaseInstance.class)
                .map(DatabaseInstance::state)
                .orElse("gone");
        waiting.add(
            CampaignStatusFacts.databaseDeletion(campaign) == DatabaseDeletionPolicy.Snapshot
                ? "RDS instance "
                    + CampaignNames.databaseIdentifier(campaign)
                    + " ("
                    + state
                    + ") to be deleted and its final snapshot "
                    + CampaignNames.finalSnapshot(campaign)
                    + " to be available"
                : "RDS instance "
                    + CampaignNames.databaseIdentifier(campaign)
                    + " ("
                    + state
                    + ") to be deleted");
      } else if (EfsFileSystem.NAME.equals(dependent)) {
        waiting.add("the EFS file system to be deleted");
      } else {
        waiting.add(dependent + " to be deleted");
      }
    }
    String message = "waiting for " + String.join(" and ", waiting);
    LOG.infof("%s: %s", CampaignStatusFacts.key(campaign), message);
    write(
        campaign,
        context,
        waiting.stream().anyMatch(w -> w.contains("final snapshot"))
            ? "WaitingForFinalSnapshot"
            : "WaitingForAws",
        message,
        now);
  }

  /** After the last dependent went, just before the finalizer does. */
  void finished(CharityCampaign campaign) {
    events.normal(
        campaign,
        "Deleted",
        "deleted with database policy "
            + CampaignStatusFacts.databaseDeletion(campaign)
            + " and storage policy "
            + CampaignStatusFacts.storageDeletion(campaign));
  }

  private void write(
      CharityCampaign campaign,
      Context<CharityCampaign> context,
      String reason,
      String message,
      String now) {
    CharityCampaignStatus status =
        CampaignStatusAggregator.deleting(campaign, reason, message, now);
    if (StatusComparison.same(campaign.getStatus(), status)) {
      return;
    }
    boolean newFailure =
        "DeleteFailed".equals(reason)
            && !Conditions.find(
                    campaign.getStatus() == null ? null : campaign.getStatus().conditions,
                    Conditions.DELETING)
                .map(c -> message.equals(c.getMessage()))
                .orElse(false);
    events.transitions(campaign, campaign.getStatus(), status);
    if (newFailure) {
      events.warning(campaign, reason, message);
    }
    campaign.setStatus(status);
    // A merge patch of status alone, without the resource version: deletion must not trip on a
    // concurrent status write.
    CharityCampaign patch = new CharityCampaign();
    patch.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(campaign.getMetadata().getName())
            .withNamespace(campaign.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    context.getClient().resource(patch).patchStatus();
  }

  /**
   * A retained database or a final snapshot is only useful with its password, so the credentials
   * are copied, before anything is deleted, into a Secret named after that instance or snapshot,
   * without an owner: it outlives the campaign and no later campaign of the same name adopts or
   * changes it. The campaign's own connection Secret goes with the campaign.
   */
  private void keepCredentials(CharityCampaign campaign, Context<CharityCampaign> context) {
    DatabaseDeletionPolicy policy = CampaignStatusFacts.databaseDeletion(campaign);
    if (policy == DatabaseDeletionPolicy.Delete || !CampaignStatusFacts.databaseSeen(campaign)) {
      return;
    }
    var secret = context.getSecondaryResource(Secret.class, DatabaseSecret.NAME);
    if (secret.isEmpty() || secret.get().getData() == null) {
      return;
    }
    String keptFor =
        policy == DatabaseDeletionPolicy.Retain
            ? CampaignNames.databaseIdentifier(campaign)
            : CampaignNames.finalSnapshot(campaign);
    String name = CampaignNames.keptCredentials(keptFor);
    var secrets = context.getClient().secrets().inNamespace(campaign.getMetadata().getNamespace());
    if (secrets.withName(name).get() != null) {
      return;
    }
    Map<String, String> labels = CampaignLabels.of(campaign, CampaignLabels.COMPONENT_CREDENTIALS);
    try {
      secrets
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(campaign.getMetadata().getNamespace())
                  .withLabels(labels)
                  .addToAnnotations(
                      CampaignLabels.CREDENTIALS_OF_ANNOTATION,
                      (policy == DatabaseDeletionPolicy.Retain
                              ? "retained RDS instance "
                              : "final snapshot ")
                          + keptFor)
                  .endMetadata()
                  .withType("Opaque")
                  .withData(secret.get().getData())
                  .build())
          .create();
      LOG.infof(
          "%s: kept the database credentials in Secret %s for %s",
          CampaignStatusFacts.key(campaign), name, keptFor);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }
}
