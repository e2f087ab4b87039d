package dev.donations.operator.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The AWS front's fault and counter endpoints from a test (hack/awsfront/README.md, "Faults"): set
 * rules such as 50 % throttling of RDS, clear them, and read how many requests each (service,
 * action) got and how many of them were throttled, answered 5xx, reset or delayed.
 */
public final class AwsFaults {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public AwsFaults(URI endpoint) {
    this.endpoint = endpoint;
  }

  /** One rule: {@code rule("rds", "*", Map.of("throttle", 0.5))}; keys as in the README. */
  public static Map<String, Object> rule(
      String service, String action, Map<String, Object> faults) {
    var rule = new java.util.LinkedHashMap<String, Object>(faults);
    rule.put("service", service);
    rule.put("action", action);
    return rule;
  }

  /** Replaces the front's rules; a seed makes the draws repeatable. */
  public JsonNode set(List<Map<String, Object>> rules, Long seed) {
    Map<String, Object> body =
        seed == null ? Map.of("rules", rules) : Map.of("rules", rules, "seed", seed);
    return send("PUT", "/faults", body);
  }

  public JsonNode set(List<Map<String, Object>> rules) {
    return set(rules, null);
  }

  public JsonNode clear() {
    return send("DELETE", "/faults", null);
  }

  public JsonNode rules() {
    return send("GET", "/faults", null);
  }

  /** GET /_awsfront/requests: total, requests, errors, faults, faultTotals. */
  public JsonNode requests() {
    return send("GET", "/requests", null);
  }

  public void resetCounters() {
    send("DELETE", "/requests", null);
  }

  /** Requests the front got for (service, action). */
  public long requests(String service, String action) {
    return requests().path("requests").path(service).path(action).asLong(0);
  }

  /**
   * Answers of one fault kind (throttled, error5xx, reset, resetAfter, delayed) for (service,
   * action).
   */
  public long faults(String service, String action, String kind) {
    return requests().path("faults").path(service).path(action).path(kind).asLong(0);
  }

  private JsonNode send(String method, String path, Object body) {
    try {
      HttpRequest.BodyPublisher publisher =
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
      HttpRequest request =
          HttpRequest.newBuilder(endpoint.resolve("/_awsfront" + path))
              .timeout(Duration.ofSeconds(10))
              .method(method, publisher)
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            method + " /_awsfront" + path + ": " + response.statusCode() + " " + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
