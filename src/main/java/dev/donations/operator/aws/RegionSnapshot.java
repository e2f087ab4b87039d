package dev.donations.operator.aws;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One listing of a kind of AWS resource per region, shared by every campaign: a paged describe of
 * all DB instances (or file systems, ...) at most once per {@code maxAge}, instead of one describe
 * per campaign. Campaigns read their entry by key (an identifier, a creation token). An observation
 * made outside the listing (a describe of one resource in a transition, a create) is recorded with
 * its time and wins over an older listing, so a listing that started before a change never takes it
 * back.
 *
 * <p>While listing fails (throttling, a network error) every reader gets the error, and the listing
 * is retried at most once per {@code retryAfter}: N campaigns never turn one throttled call into N.
 *
 * @param <V> what the operator keeps of one resource
 */
public final class RegionSnapshot<V> {

  private static final Logger LOG = Logger.getLogger(RegionSnapshot.class);

  private final String name;
  private final Function<String, Map<String, V>> lister;
  private final Supplier<Duration> maxAge;
  private final Supplier<Duration> retryAfter;
  private final LongSupplier nanoTime;
  private final Map<String, Region> regions = new ConcurrentHashMap<>();
  private final AtomicLong listings = new AtomicLong();

  /**
   * @param lister lists every resource of the kind in a region (all pages), by key
   */
  public RegionSnapshot(
      String name,
      Function<String, Map<String, V>> lister,
      Supplier<Duration> maxAge,
      Supplier<Duration> retryAfter) {
    this(name, lister, maxAge, retryAfter, System::nanoTime);
  }

  RegionSnapshot(
      String name,
      Function<String, Map<String, V>> lister,
      Supplier<Duration> maxAge,
      Supplier<Duration> retryAfter,
      LongSupplier nanoTime) {
    this.name = name;
    this.lister = lister;
    this.maxAge = maxAge;
    this.retryAfter = retryAfter;
    this.nanoTime = nanoTime;
  }

  /**
   * The resource under {@code key} as of a listing at most {@code maxAge} old (listing again if
   * needed), or as of a later single observation; empty when it does not exist. Throws while
   * listing fails.
   */
  public Optional<V> get(String region, String key) {
    Region r = regions.computeIfAbsent(region, Region::new);
    r.ensureFresh();
    Entry<V> e = r.entries.get(key);
    return e == null ? Optional.empty() : Optional.ofNullable(e.value);
  }

  /**
   * How old a listing may get: a little under the steady poll period, so that a campaign polled
   * once per period finds it stale and one listing serves every period.
   */
  public static Duration maxAge(Duration steadyPeriod) {
    return steadyPeriod.multipliedBy(9).dividedBy(10);
  }

  /** Records what a describe of one resource found now ({@code null}: it does not exist). */
  public void record(String region, String key, V value) {
    Region r = regions.computeIfAbsent(region, Region::new);
    r.entries.put(key, new Entry<>(value, nanoTime.getAsLong()));
  }

  /** Listings made so far, for the tests and the metrics. */
  public long listings() {
    return listings.get();
  }

  private record Entry<V>(V value, long at) {}

  private final class Region {
    final String region;
    final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
    boolean listed;
    long listedAt;
    RuntimeException failure;
    long failedAt;

    Region(String region) {
      this.region = region;
    }

    synchronized void ensureFresh() {
      long now = nanoTime.getAsLong();
      if (listed && now - listedAt < maxAge.get().toNanos()) {
        return;
      }
      if (failure != null && now - failedAt < retryAfter.get().toNanos()) {
        throw failure;
      }
      Map<String, V> found;
      try {
        listings.incrementAndGet();
        found = lister.apply(region);
      } catch (RuntimeException e) {
        failure = e;
        // When the failure was learnt, not when the listing started: a throttled listing with the
        // SDK's retries can take longer than retryAfter, and the campaigns that waited for it must
        // get its answer, not list again one after the other.
        failedAt = nanoTime.getAsLong();
        LOG.debugf("listing %s in %s failed: %s", name, region, e.getMessage());
        throw e;
      }
      failure = null;
      listed = true;
      listedAt = now;
      // Newer single observations stay; older entries give way to the listing, or go when not
      // listed.
      found.forEach(
          (key, value) ->
              entries.merge(
                  key, new Entry<>(value, now), (old, fresh) -> old.at > now ? old : fresh));
      entries.entrySet().removeIf(e -> !found.containsKey(e.getKey()) && e.getValue().at <= now);
    }
  }
}
