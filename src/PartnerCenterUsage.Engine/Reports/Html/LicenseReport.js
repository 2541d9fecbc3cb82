(function(){
function key(td){var v=td.getAttribute('data-v');return v===null?td.textContent.toLowerCase():(v===''?null:parseFloat(v));}
function compare(x,y,descending){
if(x===null||y===null){return x===y?0:(x===null?1:-1);}
var c=typeof x==='number'?x-y:(x<y?-1:(x>y?1:0));
return descending?-c:c;}
var tables=document.querySelectorAll('table.sortable');
for(var t=0;t<tables.length;t++){(function(table){
var headers=table.tHead.rows[0].cells;
for(var h=0;h<headers.length;h++){(function(th,column){
var button=document.createElement('button');button.type='button';
while(th.firstChild){button.appendChild(th.firstChild);}
th.appendChild(button);
button.addEventListener('click',function(){
var descending=th.getAttribute('aria-sort')!=='descending';
for(var i=0;i<headers.length;i++){headers[i].removeAttribute('aria-sort');}
th.setAttribute('aria-sort',descending?'descending':'ascending');
var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
var keyed=rows.map(function(row,index){return {row:row,key:key(row.cells[column]),index:index};});
keyed.sort(function(a,b){return compare(a.key,b.key,descending)||a.index-b.index;});
for(var r=0;r<keyed.length;r++){body.appendChild(keyed[r].row);}
});})(headers[h],h);}
})(tables[t]);}
})();
