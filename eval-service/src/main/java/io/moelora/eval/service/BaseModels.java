package io.moelora.eval.service;

import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.io.ModelReference;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Base models by job {@code baseModel} reference, loaded once and kept while they are among the
 * {@code capacity} most recently used: every checkpoint of a job shares its base, only the adapter
 * is loaded per checkpoint. Used by the evaluator thread only.
 */
final class BaseModels implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(BaseModels.class);

  private final Path modelDir;
  private final int capacity;
  private final Map<String, LoadedModel> loaded = new LinkedHashMap<>(4, 0.75f, true);

  BaseModels(Path modelDir, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("moelora.eval.cached-base-models must be >= 1, got " + capacity);
    }
    this.modelDir = modelDir;
    this.capacity = capacity;
  }

  /**
   * The model {@code reference} names, loading it (and evicting the least recently used) if needed.
   *
   * @throws RefusedException when it cannot be resolved or loaded
   */
  LoadedModel get(String reference) throws RefusedException {
    LoadedModel model = loaded.get(reference);
    if (model != null) {
      return model;
    }
    try {
      long start = System.nanoTime();
      model = ModelLoader.load(ModelReference.resolve(reference, modelDir), null);
      LOG.infof("Loaded base model %s in %.1f s", reference, (System.nanoTime() - start) / 1e9);
    } catch (RuntimeException e) {
      throw new RefusedException("base model '" + reference + "' cannot be loaded: " + e.getMessage(), e);
    }
    loaded.put(reference, model);
    for (Iterator<Map.Entry<String, LoadedModel>> it = loaded.entrySet().iterator(); loaded.size() > capacity; ) {
      Map.Entry<String, LoadedModel> eldest = it.next();
      it.remove();
      eldest.getValue().close();
      LOG.infof("Unloaded base model %s", eldest.getKey());
    }
    return model;
  }

  @Override
  public void close() {
    loaded.values().forEach(LoadedModel::close);
    loaded.clear();
  }
}
