package dev.donations.operator.campaign;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The informer cache of the campaigns' own objects, holding less of each: {@code managedFields} was
 * most of the operator's heap (a tree of maps per field owner, per object). The entries written by
 * server-side apply stay, because the dependents' matcher compares only the fields the operator
 * applied; entries of other writers (the controllers' status updates, the kubelet, a kubectl edit)
 * go, since nothing here reads them. The applied trees are nearly the same for every campaign's
 * object of a kind, so each node of them is kept once, immutable, and shared by all.
 *
 * <p>Named in the informers' {@code @Informer(itemStore = CompactItemStore.class)}: one store per
 * informer.
 */
public class CompactItemStore<R extends HasMetadata> implements ItemStore<R> {

  private static final String APPLY = "Apply";

  /** Equal trees, one instance: weakly held, so a tree nobody uses any more goes. */
  private static final Map<Object, WeakReference<Object>> SHARED = new WeakHashMap<>();

  private final ConcurrentHashMap<String, R> store = new ConcurrentHashMap<>();

  @Override
  public String getKey(R obj) {
    return Cache.metaNamespaceKeyFunc(obj);
  }

  @Override
  public R put(String key, R obj) {
    compact(obj, store.get(key));
    return store.put(key, obj);
  }

  /**
   * Keeps the applied entries of {@code managedFields}, each tree shared with its equals. A tree
   * equal to the one kept for the object before (a controller wrote its status) is that one,
   * without the cost of sharing it again.
   */
  static void compact(HasMetadata obj, HasMetadata before) {
    List<ManagedFieldsEntry> entries = obj.getMetadata().getManagedFields();
    if (entries == null || entries.isEmpty()) {
      return;
    }
    List<FieldsV1> kept =
        before == null || before.getMetadata().getManagedFields() == null
            ? List.of()
            : before.getMetadata().getManagedFields().stream()
                .map(ManagedFieldsEntry::getFieldsV1)
                .toList();
    List<ManagedFieldsEntry> applied =
        entries.stream().filter(e -> APPLY.equals(e.getOperation())).toList();
    applied.forEach(
        e ->
            e.setFieldsV1(
                kept.stream()
                    .filter(k -> k != null && k.equals(e.getFieldsV1()))
                    .findFirst()
                    .orElseGet(() -> shared(e.getFieldsV1()))));
    obj.getMetadata().setManagedFields(applied);
  }

  /**
   * The tree with every node shared: the top differs between campaigns (the owner reference's uid
   * is a key in it), but the subtrees below it (the spec's fields) are the same.
   */
  static FieldsV1 shared(FieldsV1 tree) {
    if (tree == null || tree.getAdditionalProperties() == null) {
      return tree;
    }
    FieldsV1 compact = new FieldsV1();
    compact.setAdditionalProperties(node(tree.getAdditionalProperties()));
    return intern(compact);
  }

  /** An immutable, shared copy of one node of a fields tree (maps of maps, keyed by strings). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> node(Map<String, Object> node) {
    Map<String, Object> copy = new HashMap<>(node.size() * 2);
    node.forEach(
        (key, value) ->
            copy.put(
                intern(key),
                value instanceof Map<?, ?> child ? node((Map<String, Object>) child) : value));
    return intern(Map.copyOf(copy));
  }

  @SuppressWarnings("unchecked")
  private static <T> T intern(T value) {
    synchronized (SHARED) {
      WeakReference<Object> ref = SHARED.get(value);
      Object known = ref == null ? null : ref.get();
      if (known != null) {
        return (T) known;
      }
      SHARED.put(value, new WeakReference<>(value));
      return value;
    }
  }

  @Override
  public R remove(String key) {
    return store.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return store.keySet().stream();
  }

  @Override
  public Stream<R> values() {
    return store.values().stream();
  }

  @Override
  public R get(String key) {
    return store.get(key);
  }

  @Override
  public int size() {
    return store.size();
  }

  @Override
  public boolean isFullState() {
    // Every field the operator or JOSDK reads is there: at the informer's start it behaves as
    // its own basic store does.
    return true;
  }
}
