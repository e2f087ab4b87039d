package dev.donations.operator.testbed;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignLabels;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What a whole in-process test run showed, for RunLogScanIT: every generated value of every Secret
 * the operator wrote (watched from the start, since tests delete their campaigns and with them the
 * Secrets), every Event and every campaign status as they passed by, and the operator's JSON log
 * files of the run. Started with the test bed's resource, before the operator.
 */
public final class RunRecorder {

  /** The operator's log file in tests (%test.quarkus.log.file.path), relative to the project. */
  public static final String LOG_FILE = "target/operator-test-log.json";

  private static RunRecorder current;

  private final SecretScan secrets = new SecretScan();
  private final Map<String, String> events = new ConcurrentHashMap<>();
  private final Map<String, String> statuses = new ConcurrentHashMap<>();
  private final Path log;
  private final long started = System.currentTimeMillis();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private KubernetesClient client;

  private RunRecorder(Path log) {
    this.log = log;
  }

  /** Starts watching (again, after a stop); what was recorded before is kept. */
  public static synchronized void start(LocalCluster cluster) {
    if (current == null) {
      current = new RunRecorder(cluster.repo().resolve(LOG_FILE));
    }
    current.watch(cluster);
  }

  /** Stops watching, before the test bed goes. */
  public static synchronized void stop() {
    if (current != null) {
      current.unwatch();
    }
  }

  public static synchronized Optional<RunRecorder> current() {
    return Optional.ofNullable(current);
  }

  public SecretScan secrets() {
    return secrets;
  }

  /** Every version of every Event seen, as JSON, by "namespace/name@resourceVersion". */
  public Map<String, String> events() {
    return Map.copyOf(events);
  }

  /** Every campaign status seen, as JSON, by "namespace/name@resourceVersion". */
  public Map<String, String> statuses() {
    return Map.copyOf(statuses);
  }

  public Path logFile() {
    return log;
  }

  /**
   * The operator's log since its start: Quarkus rotates the file when it configures logging (rotate
   * on boot), so the file holds the running operator's lines, all JSON.
   */
  public String log() {
    return read(log);
  }

  /**
   * Every log file written during the run, by name: the current one and those rotated away
   * meanwhile (the test harness's own lines from before the operator started, in text).
   */
  public Map<String, String> logs() {
    Map<String, String> logs = new java.util.TreeMap<>();
    try (var files = Files.list(log.getParent())) {
      files
          .filter(f -> f.getFileName().toString().startsWith(log.getFileName().toString()))
          .filter(f -> f.toFile().lastModified() >= started - 1000)
          .forEach(f -> logs.put(f.toString(), read(f)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + log.getParent(), e);
    }
    return logs;
  }

  private synchronized void watch(LocalCluster cluster) {
    if (client != null) {
      return;
    }
    client = cluster.adminClient();
    informers.add(
        client
            .secrets()
            .inAnyNamespace()
            .withLabel(CampaignLabels.MANAGED_BY, CampaignLabels.OPERATOR)
            .inform(handler(secrets::add)));
    informers.add(
        client
            .v1()
            .events()
            .inAnyNamespace()
            .inform(
                handler(
                    (Event e) ->
                        events.put(key(e), client.getKubernetesSerialization().asJson(e)))));
    informers.add(
        client
            .resources(CharityCampaign.class)
            .inAnyNamespace()
            .inform(
                handler(
                    (CharityCampaign c) -> {
                      if (c.getStatus() != null) {
                        statuses.put(
                            key(c), client.getKubernetesSerialization().asJson(c.getStatus()));
                      }
                    })));
  }

  private synchronized void unwatch() {
    informers.forEach(SharedIndexInformer::close);
    informers.clear();
    if (client != null) {
      client.close();
      client = null;
    }
  }

  private static String key(HasMetadata o) {
    return o.getMetadata().getNamespace()
        + "/"
        + o.getMetadata().getName()
        + "@"
        + o.getMetadata().getResourceVersion();
  }

  /**
   * Records every version an informer sees: added, updated, and the last state of a deleted one.
   */
  private static <T> ResourceEventHandler<T> handler(Consumer<T> record) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        record.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        record.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        record.accept(obj);
      }
    };
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }
}
