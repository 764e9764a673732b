package sc.fiji.clip.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.io.AtomicFiles;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.label.LabelCsvWriter;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.search.EmbeddingIndex;
import sc.fiji.clip.search.HitMontage;
import sc.fiji.clip.search.IndexSearch;
import sc.fiji.clip.search.IndexedPlane;
import sc.fiji.clip.search.Query;
import sc.fiji.clip.search.SearchHit;

/** {@code fiji-clip search}: the planes of an index most like some texts and example images. */
@Command(name = "search", sortOptions = false,
	description = { "Find the planes of an index (made by fiji-clip index) most like texts and example images, by "
		+ "exact cosine similarity.",
		"The query is the normalised sum of the wanted terms' embeddings minus the unwanted ones', each term "
			+ "normalised first. Writes CSV: rank,score,image,c,z,t." })
final class SearchCommand implements Callable<Integer> {

	@Mixin
	CommonOptions common;

	@Option(names = "--index", required = true, paramLabel = "DIR", description = "The index folder (required).")
	Path index;

	@Option(names = "--text", paramLabel = "TEXT", description = "Text to find; repeat to add more.")
	List<String> texts = new ArrayList<>();

	@Option(names = "--image", paramLabel = "FILE", description = "An example image to find more like; repeat to add more.")
	List<Path> images = new ArrayList<>();

	@Option(names = "--minus", paramLabel = "TERM",
		description = "Something to avoid: an image file if TERM names one, else a text; repeat to add more.")
	List<String> minus = new ArrayList<>();

	@Option(names = "--top-k", paramLabel = "K", defaultValue = "10", description = "Number of hits (default: ${DEFAULT-VALUE}).")
	int topK;

	@Option(names = "--model", paramLabel = "MODEL",
		description = "The model embedding the query (default: the one the index was made with, from index.json).")
	Path model;

	@Option(names = "--out", paramLabel = "FILE", description = "Write the CSV to this file (default: standard output).")
	Path out;

	@Option(names = "--montage", paramLabel = "PNG", description = "Also draw the hits with their scores into this PNG.")
	Path montage;

	@Option(names = "--overwrite", description = "Replace --out and --montage if they exist (default: refuse).")
	boolean overwrite;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		if (topK < 1) throw new ClipException("--top-k must be at least 1, not " + topK + ".");
		Query query = new Query();
		texts.forEach(query::text);
		images.forEach(query::image);
		minus.forEach(query::minus);
		if (query.isEmpty()) throw new ClipException("Nothing to search for: give --text or --image.");
		if (out != null) OutputFile.check(out, overwrite, "--out", "a .csv file");
		if (montage != null) OutputFile.check(montage, overwrite, "--montage", "a .png file");
		List<SearchHit> hits;
		long t0;
		double seconds;
		try (EmbeddingIndex opened = EmbeddingIndex.open(index)) {
			Path modelPath = model != null ? model : Path.of(opened.modelPath());
			try (ClipModel clip = ModelFiles.load(modelPath, common.start())) {
				IndexSearch search = new IndexSearch(opened, clip, 0);
				float[] vector = query.vector(clip);
				t0 = System.nanoTime();
				hits = search.search(vector, topK);
				seconds = (System.nanoTime() - t0) / 1e9;
			}
		}
		TextOutput.write(out, spec.commandLine().getOut(), w -> write(hits, w), null);
		if (montage != null) {
			AtomicFiles.write(montage, stream -> ImageIO.write(HitMontage.render(hits, HitMontage.DEFAULT_THUMBNAIL), "png", stream));
		}
		PrintWriter err = spec.commandLine().getErr();
		err.println(String.format(Locale.ROOT, "fiji-clip: %d hits for %s in %.3f s%s", hits.size(), query, seconds,
			(out != null ? "; wrote " + out : "") + (montage != null ? "; drew " + montage : "")));
		err.flush();
		return 0;
	}

	static void write(List<SearchHit> hits, Writer w) throws IOException {
		w.write("rank,score,image,c,z,t\n");
		for (SearchHit h : hits) {
			IndexedPlane p = h.plane();
			w.write(String.format(Locale.ROOT, "%d,%.6f,%s,%d,%d,%d%n", h.rank(), h.score(), LabelCsvWriter.quote(p.path()),
				p.channel(), p.slice(), p.frame()));
		}
	}
}
