package org.jobhost.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** {@link PluginSettings} over plain maps. Immutable. */
final class MapSettings implements PluginSettings {

  private final String prefix;
  private final Map<String, Object> values;
  private final Function<String, String> where;
  private final Function<String, String> path;

  MapSettings(
      String prefix,
      Map<String, Object> values,
      Function<String, String> where,
      Function<String, String> path) {
    this.prefix = prefix;
    this.values = values == null ? Map.of() : new LinkedHashMap<>(values);
    this.where = where;
    this.path = path;
  }

  @Override
  public Set<String> keys() {
    return java.util.Collections.unmodifiableSet(values.keySet());
  }

  @Override
  public boolean has(String key) {
    return values.containsKey(key);
  }

  @Override
  public Optional<String> string(String key) {
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String)) {
      throw wrongType(key, "a string", v);
    }
    return Optional.of((String) v);
  }

  @Override
  public long integer(String key, long fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Long || v instanceof Integer) {
      return ((Number) v).longValue();
    }
    throw wrongType(key, "a whole number", v);
  }

  @Override
  public boolean bool(String key, boolean fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    throw wrongType(key, "true or false", v);
  }

  @Override
  public Duration duration(String key, Duration fallback) {
    Object v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof String)) {
      throw wrongType(key, "a duration string such as \"5s\"", v);
    }
    try {
      return Durations.parse((String) v);
    } catch (IllegalArgumentException e) {
      throw invalid(key, "is invalid: " + e.getMessage());
    }
  }

  @Override
  public List<String> strings(String key) {
    Object v = values.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List)) {
      throw wrongType(key, "an array of strings", v);
    }
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) v) {
      if (!(o instanceof String)) {
        throw wrongType(key, "an array of strings", v);
      }
      out.add((String) o);
    }
    return List.copyOf(out);
  }

  @Override
  public PluginSettings table(String key) {
    Object v = values.get(key);
    if (v == null) {
      return child(path(key), Map.of());
    }
    if (!(v instanceof Map)) {
      throw wrongType(key, "a table", v);
    }
    return child(path(key), asStringMap(key, v));
  }

  @Override
  public List<PluginSettings> tables(String key) {
    Object v = values.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List)) {
      throw wrongType(key, "an array of tables ([[" + path(key) + "]])", v);
    }
    List<PluginSettings> out = new ArrayList<>();
    List<?> list = (List<?>) v;
    for (int i = 0; i < list.size(); i++) {
      Object o = list.get(i);
      if (!(o instanceof Map)) {
        throw wrongType(key, "an array of tables ([[" + path(key) + "]])", v);
      }
      out.add(child(path(key) + "[" + i + "]", asStringMap(key, o)));
    }
    return List.copyOf(out);
  }

  @Override
  public Map<String, Object> asMap() {
    return java.util.Collections.unmodifiableMap(values);
  }

  @Override
  public String where(String key) {
    return where.apply(path(key));
  }

  @Override
  public String path(String key) {
    return path.apply(key);
  }

  private PluginSettings child(String childPrefix, Map<String, Object> childValues) {
    return new MapSettings(childPrefix, childValues, where, k -> childPrefix + "." + k);
  }

  private Map<String, Object> asStringMap(String key, Object v) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
      m.put(String.valueOf(e.getKey()), e.getValue());
    }
    return m;
  }

  private SettingsException wrongType(String key, String expected, Object actual) {
    return invalid(key, "must be " + expected + " (was " + describe(actual) + ")");
  }

  private static String describe(Object v) {
    if (v instanceof String) {
      return "the string \"" + v + "\"";
    }
    if (v instanceof Map) {
      return "a table";
    }
    if (v instanceof List) {
      return "an array";
    }
    return String.valueOf(v);
  }

  @Override
  public String toString() {
    return "PluginSettings[" + prefix + "]" + values;
  }
}
