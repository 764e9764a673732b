package sc.fiji.clip.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** The driver's Hadoop configuration (file systems, credentials), carried to the executors' tasks. */
final class HadoopConf implements Serializable {

	private static final long serialVersionUID = 1L;

	private final Map<String, String> entries = new HashMap<>();
	private transient Configuration conf;

	HadoopConf(Configuration conf) {
		for (Map.Entry<String, String> e : conf) entries.put(e.getKey(), e.getValue());
		this.conf = conf;
	}

	Configuration get() {
		if (conf == null) {
			Configuration c = new Configuration(false);
			entries.forEach(c::set);
			conf = c;
		}
		return conf;
	}
}
