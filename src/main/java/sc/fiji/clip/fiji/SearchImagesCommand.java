package sc.fiji.clip.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.io.ModelLease;
import sc.fiji.clip.search.EmbeddingIndex;
import sc.fiji.clip.search.HitMontage;
import sc.fiji.clip.search.IndexSearch;
import sc.fiji.clip.search.IndexedPlane;
import sc.fiji.clip.search.Query;
import sc.fiji.clip.search.SearchHit;

/**
 * Plugins › CLIP › Search Images…: the planes of an index (Index Images…) most like a text and/or an example image,
 * less like an unwanted text, in the {@value #TABLE} table (rank, score, image, c, z, t) and, with a display, as a
 * montage of the hits. The query rule is {@link Query}'s. A thin shell over {@link IndexSearch}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Search Images...")
public class SearchImagesCommand extends ContextCommand {

	static final String TABLE = "CLIP Search";

	@Parameter(label = "Index folder", style = "directory")
	private File index;

	@Parameter(label = "Text to find (optional)", required = false)
	private String text = "";

	@Parameter(label = "Example image (optional)", style = "file", required = false)
	private File image;

	@Parameter(label = "Text to avoid (optional)", required = false)
	private String minus = "";

	@Parameter(label = "Hits", min = "1")
	private int topk = 10;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" })
	private String device = "auto";

	@Parameter(label = "Also fill the Results table")
	private boolean results = false;

	@Parameter(required = false)
	private ClipService service;

	@Override
	public void run() {
		Query query = new Query();
		if (text != null && !text.isBlank()) query.text(text);
		if (image != null && !image.getPath().isEmpty()) query.image(image.toPath());
		if (minus != null && !minus.isBlank()) query.minusText(minus);
		if (query.isEmpty()) throw new ClipException("Nothing to search for: give a text to find or an example image.");
		List<SearchHit> hits = search(service, index, device, query, topk);
		show(hits, "CLIP search of " + index + " for " + query);
		Tables.publish(table(hits), TABLE, results);
		if (!Tables.headless()) HitOpener.install(TABLE);
	}

	/** The {@code topk} best matches of {@code query} in the index folder {@code index}, with the index's model. */
	static List<SearchHit> search(ClipService service, File index, String device, Query query, int topk) {
		return DjlInFiji.call(() -> {
			try (EmbeddingIndex opened = EmbeddingIndex.open(index.toPath());
				ModelLease lease = DefaultClipService.lease(service, Path.of(opened.modelPath()).toFile(), device))
			{
				return new IndexSearch(opened, lease.model(), 0).search(query, topk);
			}
		});
	}

	/** Logs the hits and, with a display, shows their montage. */
	static void show(List<SearchHit> hits, String what) {
		IJ.log(what + ": " + hits.size() + " hits");
		if (!Tables.headless()) new ImagePlus("CLIP Search Hits", HitMontage.render(hits, HitMontage.DEFAULT_THUMBNAIL)).show();
	}

	static ResultsTable table(List<SearchHit> hits) {
		ResultsTable t = new ResultsTable();
		for (SearchHit h : hits) {
			IndexedPlane p = h.plane();
			t.incrementCounter();
			t.addValue("rank", h.rank());
			t.addValue("score", h.score());
			t.addValue("image", p.path());
			t.addValue("c", p.channel());
			t.addValue("z", p.slice());
			t.addValue("t", p.frame());
		}
		return t;
	}
}
