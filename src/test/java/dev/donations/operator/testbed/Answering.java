package dev.donations.operator.testbed;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A configuration interface (or any interface) that answers from a map, for unit tests. */
public final class Answering {

  private Answering() {}

  /** An instance of {@code type} whose methods return {@code answers} by name; others throw. */
  @SuppressWarnings("unchecked")
  public static <T> T proxy(Class<T> type, Map<String, Object> answers) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (p, method, args) -> {
              if (!answers.containsKey(method.getName())) {
                throw new UnsupportedOperationException(method.getName());
              }
              return answers.get(method.getName());
            });
  }
}
