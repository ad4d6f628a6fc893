# The actor map as a graph file (GEXF for Gephi, GraphML).
mends-map-export-gexf = Scarica GEXF
mends-map-export-graphml = Scarica GraphML
