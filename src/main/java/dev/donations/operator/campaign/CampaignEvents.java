package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jboss.logging.Logger;

/** Kubernetes Events on a campaign, for `kubectl describe` and event-based alerting. */
@ApplicationScoped
public class CampaignEvents {

  private static final Logger LOG = Logger.getLogger(CampaignEvents.class);

  /** Reasons that mean "in progress", not "something is wrong". */
  private static final Set<String> PROGRESS =
      Set.of(
          "Creating", "Waiting", "Binding", "Uploading", "WaitingForDependencies", "PodsNotReady");

  private final KubernetesClient client;

  public CampaignEvents(KubernetesClient client) {
    this.client = client;
  }

  /** One Event per condition whose status changed, Warning when it names a problem. */
  public void transitions(
      CharityCampaign campaign, CharityCampaignStatus before, CharityCampaignStatus after) {
    List<Condition> previous = before == null ? List.of() : before.conditions;
    for (Condition c : after.conditions) {
      String old = Conditions.find(previous, c.getType()).map(Condition::getStatus).orElse(null);
      if (Objects.equals(old, c.getStatus())) {
        continue;
      }
      // FallbackActive is the one condition whose True is the problem: visitors get the fallback
      // page.
      boolean problem =
          Conditions.FALLBACK_ACTIVE.equals(c.getType())
              ? Conditions.TRUE.equals(c.getStatus()) && old != null
              : Conditions.FALSE.equals(c.getStatus()) && !PROGRESS.contains(c.getReason());
      record(
          campaign,
          problem ? "Warning" : "Normal",
          c.getReason(),
          c.getType() + " is " + c.getStatus() + ": " + c.getMessage());
    }
  }

  public void normal(CharityCampaign campaign, String reason, String message) {
    record(campaign, "Normal", reason, message);
  }

  public void warning(CharityCampaign campaign, String reason, String message) {
    record(campaign, "Warning", reason, message);
  }

  private void record(CharityCampaign campaign, String type, String reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
    try {
      client
          .v1()
          .events()
          .inNamespace(campaign.getMetadata().getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withGenerateName(campaign.getMetadata().getName() + ".")
                  .withNamespace(campaign.getMetadata().getNamespace())
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(campaign.getApiVersion())
                          .withKind(campaign.getKind())
                          .withName(campaign.getMetadata().getName())
                          .withNamespace(campaign.getMetadata().getNamespace())
                          .withUid(campaign.getMetadata().getUid())
                          .build())
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("donation-operator")
                  .endSource()
                  .build())
          .create();
    } catch (RuntimeException e) {
      // Events are best effort; status already says the same.
      LOG.debugf(
          "could not record event %s on %s: %s",
          reason, CampaignStatusFacts.key(campaign), e.getMessage());
    }
  }
}
