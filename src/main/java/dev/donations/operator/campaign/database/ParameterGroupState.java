package dev.donations.operator.campaign.database;

import java.util.Objects;

/**
 * A campaign's DB parameter group as observed: its name and the max_connections it sets (null when
 * it sets none). A class rather than a record: the operator SDK's build step cannot index
 * java.lang.Record.
 */
public final class ParameterGroupState {
  private final String name;
  private final Integer maxConnections;

  public ParameterGroupState(String name, Integer maxConnections) {
    this.name = name;
    this.maxConnections = maxConnections;
  }

  public String name() {
    return name;
  }

  public Integer maxConnections() {
    return maxConnections;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParameterGroupState p
        && Objects.equals(name, p.name)
        && Objects.equals(maxConnections, p.maxConnections);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, maxConnections);
  }

  @Override
  public String toString() {
    return "ParameterGroupState[" + name + ", max_connections=" + maxConnections + "]";
  }
}
