package dev.donations.operator.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The API server's audit log: every write, and every request of the operator's ServiceAccounts (see
 * the policy in hack/local-cluster.sh). The ground truth for "the operator wrote nothing", for
 * "each RBAC rule serves a request" and for "two replicas never wrote at once".
 */
public final class AuditLog {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> WRITES =
      Set.of("create", "update", "patch", "delete", "deletecollection");
  private final Path file;

  /** One request, as the API server saw it when it answered. */
  public record Request(
      String user,
      String credentialId,
      String verb,
      String apiGroup,
      String resource,
      String subresource,
      String namespace,
      String name,
      int code,
      Instant received) {

    public boolean write() {
      return WRITES.contains(verb);
    }

    /** "resource" or "resource/subresource", as RBAC names it. */
    public String rbacResource() {
      return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    @Override
    public String toString() {
      return verb
          + " "
          + rbacResource()
          + " "
          + (namespace.isEmpty() ? "" : namespace + "/")
          + name;
    }
  }

  public AuditLog(Path file) {
    this.file = file;
  }

  /** Current end of the log; pass it to {@link #since}. */
  public long mark() {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes by a user since the mark, as "verb resource[/subresource] [namespace/]name". */
  public List<String> writesSince(long mark, String user) {
    return since(mark).stream()
        .filter(r -> r.user().equals(user) && r.write())
        .map(Request::toString)
        .toList();
  }

  /**
   * Every request recorded since the mark, in order; a watch appears when it starts and when it
   * ends.
   */
  public List<Request> since(long mark) {
    List<Request> requests = new ArrayList<>();
    try {
      byte[] bytes = Files.readAllBytes(file);
      int from = (int) Math.min(mark, bytes.length);
      String text = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (!line.isBlank()) {
          requests.add(parse(JSON.readTree(line)));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return requests;
  }

  private static Request parse(JsonNode e) {
    JsonNode user = e.has("impersonatedUser") ? e.path("impersonatedUser") : e.path("user");
    JsonNode ref = e.path("objectRef");
    return new Request(
        user.path("username").asText(),
        user.path("extra").path("authentication.kubernetes.io/credential-id").path(0).asText(""),
        e.path("verb").asText(),
        ref.path("apiGroup").asText(""),
        ref.path("resource").asText(""),
        ref.path("subresource").asText(""),
        ref.path("namespace").asText(""),
        ref.path("name").asText(""),
        e.path("responseStatus").path("code").asInt(0),
        Instant.parse(e.path("requestReceivedTimestamp").asText()));
  }
}
