package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Objects;

/** Compares statuses as the API server stores them, so an unchanged status is never written. */
public final class StatusComparison {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private StatusComparison() {}

  public static boolean same(CharityCampaignStatus a, CharityCampaignStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(
        JSON.convertValue(a, com.fasterxml.jackson.databind.JsonNode.class),
        JSON.convertValue(b, com.fasterxml.jackson.databind.JsonNode.class));
  }
}
