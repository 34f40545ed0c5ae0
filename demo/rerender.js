// A stand-in for a framework: the product list is thrown away and rebuilt from the API,
// so the widget must find its add buttons by event delegation, not by binding to them.
const list = document.getElementById('product-list');
const counter = document.getElementById('render-count');
let renders = 0;

function money(amount, currency) {
  return new Intl.NumberFormat(document.documentElement.lang || 'en', { style: 'currency', currency }).format(amount / 100);
}

function card(product) {
  const li = document.createElement('li');
  li.className = 'product';
  const img = document.createElement('img');
  img.src = product.imageUrl;
  img.alt = '';
  img.width = 400;
  img.height = 400;
  const name = document.createElement('h3');
  name.textContent = product.name;
  const price = document.createElement('p');
  price.className = 'price';
  price.textContent = money(product.price, product.currency);
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.checkoutAdd = product.id;
  button.textContent = product.stock > 0 ? 'Add to cart' : 'Sold out';
  button.disabled = product.stock === 0;
  li.append(img, name, price, button);
  return li;
}

async function render() {
  const res = await fetch('/api/products');
  if (!res.ok) return;
  const { products } = await res.json();
  list.replaceChildren(...products.map(card));
  counter.textContent = String(++renders);
}

render();
setInterval(render, 3000);
