// Scrap recorded on the shop floor (graph/shop_floor.py): one node per scrapping of part of a lot
// or a batch, so the input's remaining quantity (received minus consumed minus scrapped) closes.
CREATE CONSTRAINT scrap_id_unique IF NOT EXISTS FOR (n:Scrap) REQUIRE n.id IS UNIQUE;
