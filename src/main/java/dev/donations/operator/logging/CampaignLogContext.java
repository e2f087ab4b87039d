package dev.donations.operator.logging;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * The fields that tie a log line to a campaign, kept in the MDC (the JSON log's {@code mdc}
 * object).
 *
 * <ul>
 *   <li>{@code resource.namespace}, {@code resource.name}: the campaign. JOSDK's own keys: its
 *       MDCUtils sets them (with kind, uid, generation) on the thread that reconciles and on the
 *       workflow's threads that reconcile the dependents; a dependent's poll of AWS sets them here.
 *   <li>{@code reconcile.id}: one per reconcile or cleanup, from its start on the reconcile thread
 *       ({@link ReconcileLogMetrics}) to its end, and on its dependents' threads.
 *   <li>{@code dependent}: the dependent's name (its {@code NAME} constant) around its reconcile,
 *       its delete, its polls, and the reconciler's line about its failure.
 * </ul>
 */
public final class CampaignLogContext {

  public static final String NAMESPACE = "resource.namespace";
  public static final String NAME = "resource.name";
  public static final String RECONCILE_ID = "reconcile.id";
  public static final String DEPENDENT = "dependent";

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The id of each campaign's running reconcile, for its dependents' threads. JOSDK never runs two
   * reconciles of one campaign at once, and waits for the dependents before a reconcile returns.
   */
  private static final Map<ResourceID, String> RUNNING = new ConcurrentHashMap<>();

  private static final String EVENT_SOURCE_PREFIX = "eventsource.";

  /** The keys this class owns, as opposed to JOSDK's. */
  private static final List<String> OWN = List.of(RECONCILE_ID, DEPENDENT);

  /**
   * The fields of the scope this thread is in, as this class set them: the campaign, the reconcile
   * id, the dependent. A plain ThreadLocal, unlike the MDC: JBoss LogManager's MDC is inherited, so
   * a thread that a reconcile starts (a workflow or poller thread) gets a copy of that reconcile's
   * id, which would be stale on everything it logs later. Leaving a scope therefore puts back what
   * this class had set, and removes anything else. {@link CampaignLogFilter} adds them to every
   * line whose MDC lost them: JOSDK's event handling removes the campaign's keys from whatever
   * thread it runs on, and it runs on a reconcile's, a dependent's or a poller's thread whenever
   * one of them hands JOSDK an event.
   */
  private static final ThreadLocal<Map<String, String>> LIVE =
      ThreadLocal.withInitial(HashMap::new);

  private CampaignLogContext() {}

  /** A reconcile or cleanup of the campaign starts on this thread: a new id. */
  static String started(ResourceID campaign) {
    dropEventSourceKeys();
    String id = String.format("%016x", RANDOM.nextLong());
    RUNNING.put(campaign, id);
    LIVE.get().put(NAMESPACE, campaign.getNamespace().orElse(null));
    LIVE.get().put(NAME, campaign.getName());
    LIVE.get().put(RECONCILE_ID, id);
    MDC.put(RECONCILE_ID, id);
    return id;
  }

  /** The reconcile or cleanup on this thread ended. */
  static void finished(ResourceID campaign) {
    String id = LIVE.get().get(RECONCILE_ID);
    if (campaign != null && id != null) {
      // Only this thread's own id: JOSDK may already have started the campaign's next reconcile on
      // another thread (it ends event processing before it reports the reconcile finished), whose
      // id
      // must stay for its dependents.
      RUNNING.remove(campaign, id);
    }
    LIVE.get().remove(NAMESPACE);
    LIVE.get().remove(NAME);
    LIVE.get().remove(RECONCILE_ID);
    MDC.remove(RECONCILE_ID);
  }

  /**
   * The fields this class set for the scope this thread is in (none outside a reconcile, a
   * dependent's work or a poll).
   */
  static Map<String, String> live() {
    return LIVE.get();
  }

  /**
   * Runs a dependent's reconcile or delete with the campaign, the running reconcile's id and the
   * dependent's name.
   */
  public static <T> T dependent(String dependent, HasMetadata campaign, Supplier<T> work) {
    Map<String, String> fields = campaign(campaign, dependent);
    fields.put(RECONCILE_ID, RUNNING.get(ResourceID.fromResource(campaign)));
    return with(fields, work);
  }

  /** {@link #dependent(String, HasMetadata, Supplier)} for work without a result. */
  public static void dependent(String dependent, HasMetadata campaign, Runnable work) {
    dependent(
        dependent,
        campaign,
        () -> {
          work.run();
          return null;
        });
  }

  /**
   * Runs a dependent's poll of AWS with the campaign and the dependent's name. A poll on the
   * poller's thread belongs to no reconcile, even while one runs; a reconcile that polls on its own
   * thread keeps its id.
   */
  public static <T> T poll(String dependent, HasMetadata campaign, Supplier<T> work) {
    Map<String, String> fields = campaign(campaign, dependent);
    String live = LIVE.get().get(RECONCILE_ID);
    fields.put(
        RECONCILE_ID,
        live != null && live.equals(RUNNING.get(ResourceID.fromResource(campaign))) ? live : null);
    return with(fields, work);
  }

  /** Logs a line about a dependent from the reconcile thread, with the dependent's name. */
  public static void about(String dependent, Runnable log) {
    Map<String, String> fields = new HashMap<>();
    fields.put(DEPENDENT, dependent);
    with(
        fields,
        () -> {
          log.run();
          return null;
        });
  }

  /**
   * JOSDK puts an event's resource under {@code eventsource.*} only around the event's handling on
   * an informer's thread; a reconcile or workflow thread that such a thread started inherited a
   * copy, which would name some other object on every line. Removed where this class sets the
   * campaign.
   */
  private static void dropEventSourceKeys() {
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    if (mdc != null) {
      mdc.keySet().stream().filter(key -> key.startsWith(EVENT_SOURCE_PREFIX)).forEach(MDC::remove);
    }
  }

  private static Map<String, String> campaign(HasMetadata campaign, String dependent) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(NAMESPACE, campaign.getMetadata().getNamespace());
    fields.put(NAME, campaign.getMetadata().getName());
    fields.put(DEPENDENT, dependent);
    return fields;
  }

  /**
   * Sets the fields (a null value: absent) for the work. Then JOSDK's keys get back what the thread
   * had, and this class's own keys what this class had set on it, or nothing.
   */
  private static <T> T with(Map<String, String> fields, Supplier<T> work) {
    if (fields.containsKey(NAME)) {
      dropEventSourceKeys();
    }
    Map<String, String> live = new HashMap<>(LIVE.get());
    Map<String, String> josdk = new HashMap<>();
    fields.forEach(
        (key, value) -> {
          if (!OWN.contains(key)) {
            josdk.put(key, MDC.get(key));
          }
          LIVE.get().put(key, value);
          put(key, value);
        });
    try {
      return work.get();
    } finally {
      josdk.forEach(CampaignLogContext::put);
      fields.keySet().stream().filter(OWN::contains).forEach(key -> put(key, live.get(key)));
      LIVE.set(live);
    }
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
