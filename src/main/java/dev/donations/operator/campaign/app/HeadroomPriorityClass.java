package dev.donations.operator.campaign.app;

import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.leadership.Leadership;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import org.jboss.logging.Logger;

/**
 * The one cluster-wide PriorityClass of headroom pods. It is shared by every campaign, so it is
 * applied once by each new leader rather than by each campaign's reconcile; standby replicas write
 * nothing.
 */
@ApplicationScoped
public class HeadroomPriorityClass {

  public static final String NAME = "donation-headroom";

  /** Below every real pod (default 0), so any pending site pod preempts a placeholder. */
  static final int VALUE = -10;

  private static final Logger LOG = Logger.getLogger(HeadroomPriorityClass.class);

  public static PriorityClass desired() {
    return new PriorityClassBuilder()
        .withNewMetadata()
        .withName(NAME)
        .addToLabels(CampaignLabels.MANAGED_BY, CampaignLabels.OPERATOR)
        .addToLabels(CampaignLabels.PART_OF, CampaignLabels.PRODUCT)
        .endMetadata()
        .withValue(VALUE)
        .withGlobalDefault(false)
        .withPreemptionPolicy("Never")
        .withDescription(
            "Placeholder pods that keep spare nodes warm for donation sites; any real pod preempts them.")
        .build();
  }

  void apply(@ObservesAsync Leadership.Acquired leader, KubernetesClient client) {
    try {
      PriorityClass current = client.resources(PriorityClass.class).withName(NAME).get();
      if (matches(current)) {
        return; // a restart writes nothing
      }
      client
          .resource(desired())
          .fieldManager("donation-operator")
          .forceConflicts()
          .serverSideApply();
    } catch (RuntimeException e) {
      LOG.warnf(
          "could not apply PriorityClass %s; headroom pods will stay Pending until it exists: %s",
          NAME, e.getMessage());
    }
  }

  /**
   * Whether the existing PriorityClass is as desired (value and preemption cannot change anyway).
   */
  static boolean matches(PriorityClass current) {
    PriorityClass desired = desired();
    return current != null
        && desired.getValue().equals(current.getValue())
        && desired.getPreemptionPolicy().equals(current.getPreemptionPolicy())
        && desired.getDescription().equals(current.getDescription())
        && !Boolean.TRUE.equals(current.getGlobalDefault()) // the API server leaves false out
        && current.getMetadata().getLabels() != null
        && current
            .getMetadata()
            .getLabels()
            .entrySet()
            .containsAll(desired.getMetadata().getLabels().entrySet());
  }
}
