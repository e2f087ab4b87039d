package dev.donations.operator.campaign.database;

import java.util.Map;
import java.util.Optional;

/**
 * Memory of common RDS instance classes, in MiB; a class's instanceClassMemoryMiB adds to or
 * corrects it.
 */
public final class InstanceClassMemory {

  private static final Map<String, Integer> SIZES =
      Map.ofEntries(
          Map.entry("micro", 1024),
          Map.entry("small", 2048),
          Map.entry("medium", 4096),
          Map.entry("large", 8192),
          Map.entry("xlarge", 16384),
          Map.entry("2xlarge", 32768),
          Map.entry("4xlarge", 65536),
          Map.entry("8xlarge", 131072),
          Map.entry("12xlarge", 196608),
          Map.entry("16xlarge", 262144));

  private InstanceClassMemory() {}

  /**
   * Memory of an instance class, or empty when neither the overrides nor the built-in families know
   * it.
   */
  public static Optional<Integer> mib(String instanceClass, Map<String, Integer> overrides) {
    if (overrides != null && overrides.containsKey(instanceClass)) {
      return Optional.of(overrides.get(instanceClass));
    }
    String[] parts = instanceClass.split("\\.");
    if (parts.length != 3) {
      return Optional.empty();
    }
    String family = parts[1];
    Integer general = SIZES.get(parts[2]);
    if (general == null) {
      return Optional.empty();
    }
    // Burstable (t) and general purpose (m) classes have 4 GiB per 2 vCPU at "large" and up; memory
    // optimised (r, x2g) twice that. These families follow the table above.
    if (family.startsWith("t") || family.startsWith("m")) {
      return Optional.of(general);
    }
    if (family.startsWith("r")) {
      return Optional.of(general * 2);
    }
    return Optional.empty();
  }
}
