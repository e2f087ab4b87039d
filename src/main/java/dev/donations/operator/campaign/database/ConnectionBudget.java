package dev.donations.operator.campaign.database;

/**
 * The connection arithmetic that the talk's team learned the hard way: every web worker may hold a
 * database connection, so maxReplicas x workersPerPod + a reserve must fit under max_connections,
 * and max_connections must fit in the instance's memory.
 *
 * @param required maxReplicas x workersPerPod + reserve
 * @param instanceClassLimit RDS's default max_connections, {DBInstanceClassMemory/12582880}: the
 *     memory-safe ceiling
 * @param configured max_connections for the campaign's parameter group: the requirement plus a
 *     quarter, capped by the ceiling
 * @param effectiveMaxReplicas the autoscaler's ceiling: maxReplicas, or fewer when the database
 *     cannot serve them
 */
public record ConnectionBudget(
    int required,
    int instanceClassLimit,
    int configured,
    int effectiveMaxReplicas,
    int maxReplicas,
    int workersPerPod,
    int reserve) {

  /** RDS's formula divides the instance's memory by this many bytes per connection. */
  public static final long BYTES_PER_CONNECTION = 12_582_880L;

  private static final long MIB = 1024L * 1024L;

  /**
   * What RDS and the OS keep of an instance's memory: about 5 % plus 190 MiB (fits 66 connections
   * on 1 GiB, 1,281 on 16 GiB).
   */
  private static final long RESERVED_FIXED_MIB = 190;

  private static final int RESERVED_PERCENT = 5;
  private static final int HEADROOM_PERCENT = 25;

  public static ConnectionBudget compute(
      int memoryMiB, int maxReplicas, int workersPerPod, int reserve) {
    long memory = memoryMiB * MIB;
    long usable = memory - memory * RESERVED_PERCENT / 100 - RESERVED_FIXED_MIB * MIB;
    int limit = (int) Math.max(0, usable / BYTES_PER_CONNECTION);
    int required = maxReplicas * workersPerPod + reserve;
    int configured = (int) Math.min(limit, Math.ceil(required * (100 + HEADROOM_PERCENT) / 100.0));
    int effectiveMax =
        required <= limit
            ? maxReplicas
            : Math.max(1, Math.min(maxReplicas, (configured - reserve) / workersPerPod));
    return new ConnectionBudget(
        required, limit, configured, effectiveMax, maxReplicas, workersPerPod, reserve);
  }

  public boolean sufficient() {
    return required <= instanceClassLimit;
  }

  /** What the campaign owner reads in the ConnectionBudget condition. */
  public String describe(String instanceClass) {
    if (sufficient()) {
      return "%d pods x %d workers + %d reserve = %d connections; max_connections %d of %d that %s allows"
          .formatted(
              maxReplicas,
              workersPerPod,
              reserve,
              required,
              configured,
              instanceClassLimit,
              instanceClass);
    }
    return ("%d pods x %d workers + %d reserve = %d connections, but %s allows %d: the autoscaler is capped at %d pods."
            + " Choose a larger instance class, or lower spec.scaling.maxReplicas to %d or workersPerPod to %d")
        .formatted(
            maxReplicas,
            workersPerPod,
            reserve,
            required,
            instanceClass,
            instanceClassLimit,
            effectiveMaxReplicas,
            effectiveMaxReplicas,
            Math.max(1, (instanceClassLimit - reserve) / maxReplicas));
  }
}
