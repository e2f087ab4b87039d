package dev.donations.operator.campaign;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * Makes the conditions of one status: the generation, the previous conditions (whose transition
 * times stay while a condition's status holds) and the time are given once, not to every condition.
 */
public record StatusConditions(long generation, List<Condition> previous, String now) {

  public Condition of(String type, boolean ok, String reason, String message) {
    return Conditions.of(type, ok, reason, message, generation, previous, now);
  }

  public Condition of(String type, String status, String reason, String message) {
    return Conditions.of(type, status, reason, message, generation, previous, now);
  }

  /** False, with a dependent's error: its reason and message. */
  public Condition error(String type, PartError error) {
    return of(type, false, error.reason(), error.message());
  }
}
